// Folds protocol events and local actions into the messages the UI shows. Pure and tested.
// An assistant message is a list of parts (text, thinking, tool calls) in the order they came.
import type { Rating } from './api'
import { parseChart, type ChartSpec } from './chart'
import { readRating } from './feedback'
import { readSuggestions } from './followUps'
import { readEntities, type Entity } from './entities'
import { foldStoredPages, listFromPage, settlePaging, type ListPaging } from './paging'
import { ANSWERED_BY, type AnsweredBy, type Page, type ServerEvent } from './protocol'
import { readProject, type Project } from './scope'

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string; open: boolean }
  | {
      kind: 'tool'
      name: string
      input: string
      args: unknown
      state: 'running' | 'done'
      ok?: boolean
      output?: string
      elapsedMs?: number
      names?: Record<string, string> // what ids in args stand for (tool_start.names)
    }

export interface TurnStats {
  firstTokenMs: number | null
  tokens: number
  tokensPerSecond: number
  elapsedMs: number
}

// A Show more turn (the question and its reply) is hidden: its rows join the table of the answer
// `pageOf`. Shown again when they cannot.
interface PagingTurn {
  pageOf?: string
  hidden?: boolean
}

export type ChatMessage =
  // project: the one the question was limited to (none: all projects).
  | ({ role: 'user'; id: string; text: string; status: 'queued' | 'sent' | 'failed'; project?: Project } & PagingTurn)
  | ({
      role: 'assistant'
      id: string
      parts: Part[]
      state: 'streaming' | 'done' | 'stopped' | 'error'
      queuePosition?: number  // waiting for the LLM: 1 = next
      error?: { code: string; message: string }
      entities?: Entity[] // the things the answer names, shown as links
      stats?: TurnStats
      answeredBy?: AnsweredBy
      list?: ListPaging // a list answer with more matching rows than its first page showed
      chart?: ChartSpec // drawn above the answer's table
      suggestions?: string[] // follow-up questions the server offers after the answer
      response?: string // the whole answer as the server saved it (complete.response)
      stored?: number // its place in the conversation's stored messages, which a rating names
      feedback?: Rating // the reader's rating
    } & PagingTurn)

export interface ChatState {
  conversationId: string | null
  // The server holds the conversation: it was opened, or a turn in it completed. A new one's first
  // question can fail with nothing saved (unknown_project, ...), so only then does it get an address.
  saved: boolean
  messages: ChatMessage[]
  // A turn runs from sending a message until its complete/error.
  turnActive: boolean
  stopping: boolean
  notice: { code: string; message: string } | null
}

export type ChatAction =
  | { type: 'event'; event: ServerEvent }
  // pageOf: the message asks for the next rows of that answer's table.
  | { type: 'send'; id: string; text: string; queued: boolean; pageOf?: string; project?: Project | null }
  | { type: 'sent'; id: string }
  | { type: 'send_failed'; id: string }
  | { type: 'stop' }
  | { type: 'new_conversation' }
  | { type: 'load_conversation'; conversationId: string; messages: ChatMessage[] }
  | { type: 'dismiss_notice' }
  // The connection dropped: no complete/error will come for a turn in flight.
  | { type: 'connection_lost' }
  // The answer `id` is message `index` of the stored conversation.
  | { type: 'answer_stored'; id: string; index: number }
  | { type: 'rate'; id: string; rating: Rating | null }

export const initialChatState: ChatState = {
  conversationId: null,
  saved: false,
  messages: [],
  turnActive: false,
  stopping: false,
  notice: null,
}

type Assistant = Extract<ChatMessage, { role: 'assistant' }>

let nextId = 0
const newId = () => `m${Date.now().toString(36)}${(nextId++).toString(36)}`

// The assistant message of the running turn, if the last message is one that still streams.
function streaming(state: ChatState): Assistant | null {
  const last = state.messages[state.messages.length - 1]
  return last && last.role === 'assistant' && last.state === 'streaming' ? last : null
}

function replaceLast(state: ChatState, msg: ChatMessage): ChatState {
  return { ...state, messages: [...state.messages.slice(0, -1), msg] }
}

function closeThinking(parts: Part[]): Part[] {
  return parts.map((p) => (p.kind === 'thinking' && p.open ? { ...p, open: false } : p))
}

function appendText(parts: Part[], kind: 'text' | 'thinking', text: string): Part[] {
  const last = parts[parts.length - 1]
  if (kind === 'text') {
    const closed = closeThinking(parts)
    if (last && last.kind === 'text') return [...closed.slice(0, -1), { kind: 'text', text: last.text + text }]
    return [...closed, { kind: 'text', text }]
  }
  if (last && last.kind === 'thinking' && last.open) return [...parts.slice(0, -1), { ...last, text: last.text + text }]
  return [...parts, { kind: 'thinking', text, open: true }]
}

function onEvent(state: ChatState, e: ServerEvent): ChatState {
  const current = streaming(state)
  switch (e.type) {
    case 'user_message': {
      // The oldest queued/sent user message without an answer is the one accepted.
      const messages = state.messages.map((m) => (m.role === 'user' && m.status === 'queued' ? { ...m, status: 'sent' as const } : m))
      if (current) return { ...state, conversationId: e.conversation_id, messages }
      const asked = messages[messages.length - 1]
      const paging = asked?.role === 'user' && asked.pageOf ? { pageOf: asked.pageOf, hidden: true } : {}
      const assistant: Assistant = { role: 'assistant', id: newId(), parts: [], state: 'streaming', ...paging }
      return { ...state, conversationId: e.conversation_id, messages: [...messages, assistant], turnActive: true }
    }
    case 'queued':
      return current ? replaceLast(state, { ...current, queuePosition: e.position }) : state
    case 'llm_start':
      return current && current.queuePosition !== undefined ? replaceLast(state, { ...current, queuePosition: undefined }) : state
    case 'token':
    case 'thinking': {
      if (!current) return state // late or duplicate: the turn is over
      return replaceLast(state, { ...current, parts: appendText(current.parts, e.type === 'token' ? 'text' : 'thinking', e.content) })
    }
    case 'llm_end':
      return current ? replaceLast(state, { ...current, parts: closeThinking(current.parts) }) : state
    case 'tool_start': {
      if (!current) return state
      const part: Part = { kind: 'tool', name: e.tool_name, input: e.input, args: e.arguments ?? safeJson(e.input), state: 'running', ...(e.names && { names: e.names }) }
      return replaceLast(state, { ...current, parts: [...closeThinking(current.parts), part] })
    }
    case 'tool_end': {
      if (!current) return state
      const idx = findLastIndex(current.parts, (p) => p.kind === 'tool' && p.state === 'running' && p.name === e.tool_name)
      if (idx < 0) return state
      const parts = current.parts.slice()
      const p = parts[idx] as Extract<Part, { kind: 'tool' }>
      parts[idx] = { ...p, state: 'done', ok: e.ok ?? true, output: e.output, elapsedMs: e.elapsed_ms }
      return replaceLast(state, { ...current, parts })
    }
    case 'complete': {
      if (!current) return { ...state, turnActive: false, stopping: false }
      const stats: TurnStats = {
        firstTokenMs: e.first_token_ms,
        tokens: e.tokens,
        tokensPerSecond: e.tokens_per_second,
        elapsedMs: e.elapsed_ms,
      }
      const parts = closeThinking(current.parts).map((p) => (p.kind === 'tool' && p.state === 'running' ? { ...p, state: 'done' as const, ok: false } : p))
      const done: Assistant = {
        ...current,
        parts,
        state: e.cancelled ? 'stopped' : 'done',
        stats,
        queuePosition: undefined,
        answeredBy: answeredBy(e.answered_by),
        list: e.cancelled ? undefined : listFromPage(e.page),
        ...results(e),
        ...(typeof e.response === 'string' ? { response: e.response } : {}),
      }
      const next = replaceLast(state, done)
      return { ...next, messages: scopeAsAnswered(next.messages, readProject(e.project)), conversationId: e.conversation_id, saved: true, turnActive: false, stopping: false }
    }
    case 'error': {
      const error = { code: e.code, message: e.message }
      if (!e.conversation_id) return { ...state, notice: error } // about a frame; no turn ends
      const base: Assistant = current ?? { role: 'assistant', id: newId(), parts: [], state: 'streaming' }
      const failed: Assistant = { ...base, parts: closeThinking(base.parts), state: 'error', error }
      const next = current ? replaceLast(state, failed) : { ...state, messages: [...state.messages, failed] }
      return { ...next, conversationId: e.conversation_id, turnActive: false, stopping: false }
    }
    default:
      return state
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  return settlePaging(reduce(state, action))
}

function reduce(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'event':
      return onEvent(state, action.event)
    case 'send': {
      const status = action.queued ? ('queued' as const) : ('sent' as const)
      // Only an answer with more rows can be paged; anything else is asked as an ordinary question.
      const target = state.messages.find((m): m is Assistant => m.id === action.pageOf && m.role === 'assistant' && !!m.list)
      const paging = target ? { pageOf: target.id, hidden: true } : {}
      const messages = state.messages.map((m) => (m === target && target.list ? { ...target, list: { ...target.list, loading: true, error: undefined } } : m))
      return { ...state, turnActive: true, notice: null, messages: [...messages, { role: 'user', id: action.id, text: action.text, status, ...paging, ...(action.project ? { project: action.project } : {}) }] }
    }
    case 'sent':
      return { ...state, messages: state.messages.map((m) => (m.id === action.id && m.role === 'user' ? { ...m, status: 'sent' } : m)) }
    case 'send_failed':
      return {
        ...state,
        turnActive: false,
        messages: state.messages.map((m) => (m.id === action.id && m.role === 'user' ? { ...m, status: 'failed' } : m)),
      }
    case 'stop':
      return state.turnActive ? { ...state, stopping: true } : state
    case 'new_conversation':
      return { ...initialChatState }
    case 'load_conversation':
      return { ...initialChatState, conversationId: action.conversationId, saved: true, messages: action.messages }
    case 'dismiss_notice':
      return { ...state, notice: null }
    case 'connection_lost': {
      const last = state.messages[state.messages.length - 1]
      if (!state.turnActive || !last) return state
      if (last.role === 'user' && last.status === 'queued') return state // sent when the connection returns
      const error = { code: 'connection_lost', message: 'The connection was lost before the answer was finished.' }
      const messages = state.messages.slice(0, -1)
      if (last.role === 'assistant') messages.push({ ...last, parts: closeThinking(last.parts), state: 'error', error })
      else messages.push({ ...last, status: 'failed' }, { role: 'assistant', id: newId(), parts: [], state: 'error', error })
      return { ...state, messages, turnActive: false, stopping: false }
    }
    case 'answer_stored':
    case 'rate': {
      const change = action.type === 'rate' ? { feedback: action.rating ?? undefined } : { stored: action.index }
      return { ...state, messages: state.messages.map((m) => (m.id === action.id && m.role === 'assistant' ? { ...m, ...change } : m)) }
    }
  }
}

// Only the paths the protocol names: an unknown one is not shown as if it were known.
function answeredBy(v: unknown): AnsweredBy | undefined {
  return ANSWERED_BY.includes(v as AnsweredBy) ? (v as AnsweredBy) : undefined
}

// What the server drew from an answer's result, where it is well-formed: its chart, its follow-ups,
// the things it names.
function results(v: { chart?: unknown; suggestions?: unknown; entities?: unknown }): Pick<Assistant, 'chart' | 'suggestions' | 'entities'> {
  const chart = parseChart(v.chart)
  const suggestions = readSuggestions(v.suggestions)
  const entities = readEntities(v.entities)
  return { ...(chart ? { chart } : {}), ...(suggestions ? { suggestions } : {}), ...(entities ? { entities } : {}) }
}

// The question before the finished answer shows the scope the server answered it in, not only the one asked for.
function scopeAsAnswered(messages: ChatMessage[], project: Project | undefined): ChatMessage[] {
  const at = findLastIndex(messages, (m) => m.role === 'user')
  const asked = messages[at]
  if (!asked || asked.role !== 'user') return messages
  const copy = messages.slice()
  copy[at] = { ...asked, project }
  return copy
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function findLastIndex<T>(a: T[], pred: (x: T) => boolean): number {
  for (let i = a.length - 1; i >= 0; --i) if (pred(a[i])) return i
  return -1
}

// Stored messages (GET /api/conversations/{id}) as UI messages: tool calls and results are
// folded into the assistant message that follows them.
interface StoredMessage {
  role: string
  content: string
  tool_calls?: { name: string; arguments: unknown }[]
  tool_name?: string
  stopped?: boolean
  // Kept by servers that store them with the answer.
  answered_by?: string
  entities?: unknown
  page?: Page
  chart?: unknown
  suggestions?: unknown
  feedback?: unknown
  project?: unknown // a question's scope
}

export function messagesFromStored(stored: StoredMessage[]): ChatMessage[] {
  const out: ChatMessage[] = []
  let pending: Part[] = []
  for (const [index, m] of stored.entries()) {
    if (m.role === 'user') {
      if (pending.length) out.push({ role: 'assistant', id: newId(), parts: pending, state: 'done' })
      pending = []
      const project = readProject(m.project)
      out.push({ role: 'user', id: newId(), text: m.content, status: 'sent', ...(project ? { project } : {}) })
    } else if (m.role === 'assistant' && m.tool_calls?.length) {
      if (m.content) pending.push({ kind: 'text', text: m.content })
      for (const c of m.tool_calls) pending.push({ kind: 'tool', name: c.name, input: JSON.stringify(c.arguments), args: c.arguments, state: 'running' })
    } else if (m.role === 'tool') {
      const idx = findLastIndex(pending, (p) => p.kind === 'tool' && p.state === 'running' && p.name === m.tool_name)
      if (idx >= 0) {
        const p = pending[idx] as Extract<Part, { kind: 'tool' }>
        const ok = !m.content.startsWith('{"error"')
        pending[idx] = { ...p, state: 'done', output: m.content, ok }
      }
    } else if (m.role === 'assistant') {
      if (m.content) pending.push({ kind: 'text', text: m.content })
      const by = answeredBy(m.answered_by)
      const list = m.stopped ? undefined : listFromPage(m.page)
      const feedback = readRating(m.feedback)
      const done: Assistant = {
        role: 'assistant',
        id: newId(),
        parts: pending,
        state: m.stopped ? 'stopped' : 'done',
        stored: index,
        ...(by ? { answeredBy: by } : {}),
        ...(list ? { list } : {}),
        ...(feedback ? { feedback } : {}),
      }
      out.push(m.stopped ? done : { ...done, ...results(m) })
      pending = []
    }
  }
  if (pending.length) out.push({ role: 'assistant', id: newId(), parts: pending, state: 'done' })
  return foldStoredPages(out)
}
