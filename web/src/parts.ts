// Reading an assistant message's parts. Pure.
import type { Part } from './chatReducer'

// Where the answer's last text is (its list table, its suggestions), or -1.
export function lastTextIndex(parts: Part[]): number {
  for (let i = parts.length - 1; i >= 0; --i) if (parts[i].kind === 'text') return i
  return -1
}

// Markdown `text` cut before its first table (the place of the answer's chart), or null if it has none.
export function splitAtTable(text: string): [string, string] | null {
  const m = /^\|.*\|[ \t]*\n\|[ \t:|-]*-[ \t:|-]*\|?[ \t]*$/m.exec(text)
  return m ? [text.slice(0, m.index), text.slice(m.index)] : null
}
