// Paging of list answers (Show more / Show all): the bookkeeping of the rows an answer's table
// shows, and joining a later page's rows to it. Pure; the reducer calls these.
import type { ChatMessage, ChatState } from './chatReducer'
import type { Page } from './protocol'
import { mergeEntities } from './entities'
import { lastTextIndex } from './parts'
import { mergeTableRows } from './tableMerge'

type Assistant = Extract<ChatMessage, { role: 'assistant' }>

// The rows of a list answer's table, out of how many match, and its Show more control's state.
export interface ListPaging {
  offset: number // rows skipped before the table's first row
  rows: number // rows the table shows
  total: number // rows that match
  next: string // the message that asks for the next page
  pageSize: number // rows a page brings
  loading: boolean
  error?: string
}

export const SHOW_ALL = 'show all'
// "show all" brings at most this many rows (docs/protocol.md).
export const SHOW_ALL_MAX = 500
// What asks for the next page when a page does not say: the last page and stored answers have no `next`.
const SHOW_MORE = 'show more'

// The paging of a `complete` event's (or a stored answer's) page, if it is a well-formed one.
export function listFromPage(page: Partial<Page> | undefined): ListPaging | undefined {
  if (!page || typeof page !== 'object') return undefined
  const { offset, shown, total, next } = page
  if (![offset, shown, total].every((n) => Number.isInteger(n) && (n as number) >= 0)) return undefined
  const text = typeof next === 'string' && next.trim() ? next : SHOW_MORE
  return { offset: offset!, rows: shown!, total: total!, next: text, pageSize: shown!, loading: false }
}

export const remainingRows = (l: ListPaging) => Math.max(0, l.total - l.offset - l.rows)

// The answer whose table a Show more adds to: the last assistant message shown. Older answers
// get no control: the server pages the conversation's last list, not theirs.
export function pagerTarget(messages: ChatMessage[]): string | null {
  const last = latestAnswer(messages)
  return last?.list ? last.id : null
}

// The last assistant message shown (its follow-ups are offered), if any.
export function latestAnswer(messages: ChatMessage[]): Assistant | null {
  return messages.findLast((m): m is Assistant => m.role === 'assistant' && !m.hidden) ?? null
}

// `target` with the rows of `fetched` (the answer to its Show more) in its table, or null when
// they do not fit onto it (no table, other columns, or a gap before the new rows).
export function withFetchedRows(target: Assistant, fetched: Assistant): Assistant | null {
  const list = target.list
  const ti = lastTextIndex(target.parts)
  const fi = lastTextIndex(fetched.parts)
  if (!list || ti < 0 || fi < 0) return null
  const page = fetched.list
  const keep = page ? page.offset - list.offset : undefined
  const merged = mergeTableRows((target.parts[ti] as { text: string }).text, (fetched.parts[fi] as { text: string }).text, keep)
  if (!merged) return null
  const parts = target.parts.slice()
  parts[ti] = { kind: 'text', text: merged.text }
  // Without a page of its own, the reply was the end of the list.
  const next: ListPaging = page
    ? { offset: list.offset, rows: merged.rows, total: page.total, next: page.next, pageSize: page.pageSize, loading: false }
    : { ...list, rows: merged.rows, total: list.offset + merged.rows, loading: false }
  // The reply's follow-ups are about the list as it now is ("show all 30" after 20 rows).
  return { ...target, parts, list: next, suggestions: fetched.suggestions, entities: mergeEntities(target.entities, fetched.entities) }
}

function replace(messages: ChatMessage[], changes: Map<string, ChatMessage>): ChatMessage[] {
  return messages.map((m) => changes.get(m.id) ?? m)
}

const failure = (fetched: Assistant | undefined): string => {
  if (!fetched) return 'The request for more rows was not sent: the connection was lost. Try again.'
  if (fetched.state === 'stopped') return 'Stopped before the rows came.'
  if (fetched.state === 'error') return `The rows could not be loaded: ${fetched.error?.message ?? 'unknown error'}. Try again.`
  return 'No rows came back to add to this table; the reply is shown below.'
}

// Once the turn a Show more started has ended: its rows join the table, or the control comes
// back with what went wrong. A reply that cannot be joined is shown as the answer it is.
export function settlePaging(state: ChatState): ChatState {
  if (state.turnActive) return state
  const target = state.messages.find((m): m is Assistant => m.role === 'assistant' && !!m.list?.loading)
  if (!target || !target.list) return state
  const fetched = state.messages.findLast((m): m is Assistant => m.role === 'assistant' && m.pageOf === target.id)
  const joined = fetched && fetched.state === 'done' ? withFetchedRows(target, fetched) : null
  if (joined) return { ...state, messages: replace(state.messages, new Map([[target.id, joined]])) }
  const changes = new Map<string, ChatMessage>([[target.id, { ...target, list: { ...target.list, loading: false, error: failure(fetched) } }]])
  if (fetched?.state === 'done') {
    // Show the question and its reply: they are what the user got instead of rows.
    const asked = state.messages[state.messages.indexOf(fetched) - 1]
    if (asked?.role === 'user' && asked.pageOf === target.id) changes.set(asked.id, { ...asked, hidden: false })
    changes.set(fetched.id, { ...fetched, hidden: false })
  }
  return { ...state, messages: replace(state.messages, changes) }
}

// Stored conversations: a paging question ("show more") right after a list answer, whose reply
// carries its page, is folded into that answer's table as it was when live.
export function foldStoredPages(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = []
  let target: Assistant | null = null // the last answer shown, if it is a list
  for (let i = 0; i < messages.length; ++i) {
    const m = messages[i]
    const reply = messages[i + 1]
    if (m.role === 'user' && target?.list && reply?.role === 'assistant' && reply.list && isPagingQuestion(m.text, target.list)) {
      const joined = withFetchedRows(target, reply)
      if (joined) {
        out[out.indexOf(target)] = joined
        target = joined
        out.push({ ...m, hidden: true, pageOf: joined.id }, { ...reply, hidden: true, pageOf: joined.id })
        ++i
        continue
      }
    }
    out.push(m)
    if (m.role === 'assistant') target = m
  }
  return out
}

function isPagingQuestion(text: string, list: ListPaging): boolean {
  const t = text.trim().toLowerCase()
  return t === list.next.trim().toLowerCase() || t === SHOW_ALL
}
