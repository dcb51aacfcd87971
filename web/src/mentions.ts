// Mentions in the composer: "@Mei" or "PRO-1-5" being typed, looked up on the server
// (GET /api/entities?q=, tenant-scoped), and replaced by what the planner reads: an item's
// number, anything else's name. The text work is pure and tested.
import { AuthRequired, authHeaders } from './auth'

export interface Mention {
  start: number // where the mention starts (its '@', or the number's first character)
  end: number // the caret
  query: string // what to look up
}

export interface MentionMatch {
  kind: string
  id: string
  name: string
  number?: string
  short_id?: string
  project?: string
}

// The mention ending at the caret, if one is being typed: "@" then a name (up to 40 characters on
// one line), or a display number ("PRO-1-5": letters first, then digits after a dash).
export function mentionAt(text: string, caret: number): Mention | null {
  const before = text.slice(0, caret)
  const at = /(?:^|\s)@([^\s@][^@\n]{0,39})$/u.exec(before)
  if (at) return { start: caret - at[1].length - 1, end: caret, query: at[1].trim() }
  const number = /(?:^|[\s(])([A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]*\d[A-Za-z0-9-]*)$/.exec(before)
  if (number) return { start: caret - number[1].length, end: caret, query: number[1] }
  return null
}

// What a chosen match puts into the question.
export const mentionText = (m: MentionMatch) => (m.kind === 'workItem' && m.number ? m.number : m.name)

// `text` with the mention replaced by `replacement` and a space; where the caret goes.
export function insertMention(text: string, m: Mention, replacement: string): { text: string; caret: number } {
  const after = text.slice(m.end)
  const glue = after.startsWith(' ') ? '' : ' '
  return { text: text.slice(0, m.start) + replacement + glue + after, caret: m.start + replacement.length + 1 }
}

export async function findMentions(query: string, signal?: AbortSignal): Promise<MentionMatch[]> {
  const r = await fetch(`/api/entities?q=${encodeURIComponent(query)}`, { headers: authHeaders(), signal })
  if (r.status === 401) throw new AuthRequired()
  if (!r.ok) return []
  const body = (await r.json()) as { matches?: MentionMatch[] }
  return Array.isArray(body.matches) ? body.matches : []
}
