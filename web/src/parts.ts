// Reading an assistant message's parts. Pure.
import type { Part } from './chatReducer'

// Where the answer's last text is (its list table, its suggestions), or -1.
export function lastTextIndex(parts: Part[]): number {
  for (let i = parts.length - 1; i >= 0; --i) if (parts[i].kind === 'text') return i
  return -1
}
