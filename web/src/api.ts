// The REST calls the UI makes.
export interface ConversationSummary {
  conversation_id: string
  title: string
  created_at: string
  updated_at: string
  message_count: number
}

export interface Overview {
  projects: string[]
  states: string[]
  priorities: string[]
  members: string[]
}

import { AuthRequired, authHeaders } from './auth'
import type { Project } from './scope'

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const r = await fetch(url, { ...init, headers: { ...authHeaders(), ...(init.headers ?? {}) } })
  if (r.status === 401) throw new AuthRequired()
  return r
}

async function getJson<T>(url: string): Promise<T> {
  const r = await call(url)
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`)
  return (await r.json()) as T
}

// A reader's verdict on an answer.
export type Rating = 'up' | 'down'

// search: only the conversations with every word in the title, a question or an answer (the server's search).
export const listConversations = (search = '') =>
  getJson<{ conversations: ConversationSummary[] }>(`/api/conversations${search.trim() ? `?q=${encodeURIComponent(search.trim())}` : ''}`).then(
    (r) => r.conversations,
  )
export const loadConversation = (id: string) => getJson<{ messages: never[] }>(`/api/conversations/${encodeURIComponent(id)}`).then((r) => r.messages)
// project (its id): the overview of that project alone, for a conversation limited to it.
export const loadOverview = (project = '') => getJson<Overview>(`/api/overview${project ? `?project=${encodeURIComponent(project)}` : ''}`)
// The tenant's projects to limit questions to, by name.
export const listProjects = () => getJson<{ projects: Project[] }>('/api/projects').then((r) => r.projects)
export async function deleteConversation(id: string): Promise<void> {
  const r = await call(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' })
  if (!r.ok && r.status !== 404) throw new Error(`delete failed: HTTP ${r.status}`)
}

// Sends a JSON body; a refusal throws with the server's message, which says what to fix.
async function sendJson(method: string, url: string, body: unknown): Promise<unknown> {
  const r = await call(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  const reply = await r.json().catch(() => null)
  if (!r.ok) throw new Error(reply?.error?.message ?? `${method} ${url}: HTTP ${r.status}`)
  return reply
}

export async function renameConversation(id: string, title: string): Promise<string> {
  const reply = (await sendJson('PATCH', `/api/conversations/${encodeURIComponent(id)}`, { title })) as { title: string }
  return reply.title
}

// index: the answer's place in the conversation's stored messages; null clears the rating.
export async function rateAnswer(id: string, index: number, rating: Rating | null): Promise<void> {
  await sendJson('PUT', `/api/conversations/${encodeURIComponent(id)}/messages/${index}/feedback`, { rating })
}
