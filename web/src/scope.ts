// A conversation's project scope (issue 18 §3): the project its questions are limited to, chosen in
// the selector above the composer, opened with /?project=FLEET, or restored from the conversation's
// last question. The server applies it per question, so it is sent with every message. Pure and
// tested; useProjectScope holds it.
import type { ChatMessage } from './chatReducer'
import { conversationFromPath } from './route'

// One of the tenant's projects (GET /api/projects); short_id is its projectDisplayId, may be "".
export interface Project {
  id: string
  short_id: string
  name: string
}

export interface ScopeState {
  projects: Project[] | null // null until GET /api/projects answers
  project: Project | null // null: all projects
  requested: string | null // a ?project= value waiting for the list to be read against
  notice: string | null
}

export type ScopeAction =
  // null: the list could not be loaded.
  | { type: 'projects'; projects: Project[] | null }
  // From the selector: a project's id, or null for all projects.
  | { type: 'choose'; id: string | null }
  // Opening a conversation: the scope of its last question (null for a new one or none).
  | { type: 'restore'; project: Project | null }
  | { type: 'dismiss_notice' }

const PARAM = 'project'

export function projectParam(search: string): string | null {
  const v = new URLSearchParams(search).get(PARAM)?.trim()
  return v ? v : null
}

// The query string without ?project= (it is read once, see useProjectScope).
export function withoutProjectParam(search: string): string {
  const params = new URLSearchParams(search)
  params.delete(PARAM)
  const rest = params.toString()
  return rest ? `?${rest}` : ''
}

// ?project= names a new conversation's scope; on /c/<id> the conversation's own questions do.
export function initialScope(pathname: string, search: string): ScopeState {
  const requested = conversationFromPath(pathname) ? null : projectParam(search)
  return { projects: null, project: null, requested, notice: null }
}

// A project by its short id (any case) or its id.
export function findProject(projects: Project[], key: string): Project | null {
  const k = key.trim().toLowerCase()
  return projects.find((p) => (p.short_id && p.short_id.toLowerCase() === k) || p.id === key.trim()) ?? null
}

export const projectLabel = (p: Project) => (p.short_id ? `${p.name} · ${p.short_id}` : p.name)

// What a message sends as `project`: the id, which no two projects share.
export const scopeKey = (p: Project | null | undefined) => p?.id ?? ''

// A project as the server writes it (complete.project, a stored question's project), if well-formed.
export function readProject(v: unknown): Project | undefined {
  if (!v || typeof v !== 'object') return undefined
  const { id, short_id, name } = v as Record<string, unknown>
  if (typeof id !== 'string' || !id || typeof name !== 'string') return undefined
  return { id, short_id: typeof short_id === 'string' ? short_id : '', name }
}

// The scope of a conversation: that of its last question.
export function lastScope(messages: ChatMessage[]): Project | null {
  for (let i = messages.length - 1; i >= 0; --i) {
    const m = messages[i]
    if (m.role === 'user') return m.project ?? null
  }
  return null
}

// The scope of the question an answer replied to: its next page must count the same rows.
export function scopeOfAnswer(messages: ChatMessage[], answerId: string): Project | null {
  const at = messages.findIndex((m) => m.id === answerId)
  return at < 0 ? null : lastScope(messages.slice(0, at))
}

export function scopeReducer(state: ScopeState, action: ScopeAction): ScopeState {
  switch (action.type) {
    case 'projects': {
      const projects = action.projects ?? []
      if (state.requested === null) return { ...state, projects }
      const found = findProject(projects, state.requested)
      const notice = found
        ? null
        : action.projects
          ? `There is no project “${state.requested}”: answering about all projects.`
          : `The projects could not be loaded, so “${state.requested}” cannot be chosen: answering about all projects.`
      return { ...state, projects, requested: null, project: found ?? state.project, notice }
    }
    case 'choose': {
      const project = action.id === null ? null : (state.projects ?? []).find((p) => p.id === action.id) ?? state.project
      return { ...state, project, requested: null, notice: null }
    }
    case 'restore':
      // A conversation opened before the list came wins over a ?project= still waiting for it.
      return { ...state, project: action.project, requested: null, notice: null }
    case 'dismiss_notice':
      return { ...state, notice: null }
  }
}
