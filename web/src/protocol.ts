// The chat protocol of docs/protocol.md, as TypeScript types.

// Who wrote an answer: the LLM, the built-in question planner, the model filling the planner's plan,
// or a MongoDB shell query run as typed.
export type AnsweredBy = 'model' | 'planner' | 'model-plan' | 'shell'
export const ANSWERED_BY: readonly AnsweredBy[] = ['model', 'planner', 'model-plan', 'shell']

// Which path answers one turn (overrides the server's --answer-mode for it).
export type AnswerMode = 'auto' | 'model' | 'planner'

// One page of a list answer: `offset` rows skipped before it, `shown` on it, `total` matching;
// `next`, while rows remain, is the message that asks for the next page.
export interface Page {
  offset: number
  shown: number
  total: number
  next?: string
}

export type ServerEvent =
  | { type: 'connected'; client_id: string; version?: string; timestamp: string }
  | { type: 'user_message'; content: string; conversation_id: string; timestamp: string }
  | { type: 'queued'; position: number; timestamp: string }
  | { type: 'llm_start'; step?: number; timestamp: string }
  | { type: 'token'; content: string; timestamp: string }
  | { type: 'thinking'; content: string; timestamp: string }
  | { type: 'llm_end'; elapsed_time: number; timestamp: string }
  | { type: 'tool_start'; tool_name: string; input: string; arguments?: unknown; names?: Record<string, string>; timestamp: string }
  | { type: 'tool_end'; tool_name: string; output: string; elapsed_ms: number; ok?: boolean; timestamp: string }
  | {
      type: 'complete'
      conversation_id: string
      first_token_ms: number | null
      tokens: number
      tokens_per_second: number
      elapsed_ms: number
      cancelled?: boolean
      answered_by?: AnsweredBy
      page?: Page
      chart?: unknown // a ChartSpec (chart.ts), read with parseChart
      suggestions?: unknown // up to three follow-up questions
      entities?: unknown // the things the answer names (entities.ts), read with readEntities
      response?: string
      project?: unknown // the project the turn was limited to: {id, short_id, name} (scope.ts readProject)
      timestamp: string
    }
  | { type: 'error'; code: string; message: string; conversation_id?: string; timestamp: string }
  | { type: 'pong'; timestamp: string }

export type ClientMessage =
  // project: a project's id or short id that limits the question to it (absent: all projects).
  | { type: 'message'; message: string; conversation_id?: string; mode?: AnswerMode; project?: string }
  | { type: 'ping' }
  | { type: 'cancel' }

export function parseServerEvent(data: unknown): ServerEvent | null {
  if (typeof data !== 'string') return null
  try {
    const v = JSON.parse(data)
    return v && typeof v === 'object' && typeof v.type === 'string' ? (v as ServerEvent) : null
  } catch {
    return null
  }
}

// What a user can do about each error code.
export function errorHint(code: string): string {
  switch (code) {
    case 'llm_unreachable':
      return 'The language model server is not reachable. Start Ollama (`ollama serve`) or check --ollama-host.'
    case 'model_not_found':
      return 'The model is not installed on the LLM server. Run `ollama pull qwen3:0.6b` there.'
    case 'llm_timeout':
      return 'The model stopped answering. Check the LLM server and try again.'
    case 'llm_stream_error':
    case 'llm_http_error':
      return 'The LLM server failed while answering. Try again.'
    case 'connection_lost':
      return 'Ask again once the connection is back; the conversation so far is kept.'
    case 'busy':
      return 'An answer is still being written. Wait for it or press Stop.'
    case 'database_error':
      return 'The database could not be read. Check the server log.'
    case 'message_too_large':
      return 'The message is too long. Shorten it.'
    case 'unknown_project':
      return 'Choose a project in the list above the question box, or All projects.'
    default:
      return 'Try again; if it keeps happening, check the server log.'
  }
}
