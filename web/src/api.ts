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

export const listConversations = () => getJson<{ conversations: ConversationSummary[] }>('/api/conversations').then((r) => r.conversations)
export const loadConversation = (id: string) => getJson<{ messages: never[] }>(`/api/conversations/${encodeURIComponent(id)}`).then((r) => r.messages)
export const loadOverview = () => getJson<Overview>('/api/overview')
export async function deleteConversation(id: string): Promise<void> {
  const r = await call(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' })
  if (!r.ok && r.status !== 404) throw new Error(`delete failed: HTTP ${r.status}`)
}
