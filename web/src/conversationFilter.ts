// The conversations whose title has every word of the search, ignoring case and accents. Pure;
// shown at once while the server's search (which also reads questions and answers) is asked.
import type { ConversationSummary } from './api'

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

export function filterConversations(list: ConversationSummary[], query: string): ConversationSummary[] {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (!words.length) return list
  return list.filter((c) => {
    const title = fold(c.title || '')
    return words.every((w) => title.includes(w))
  })
}
