import { useEffect, useState } from 'react'
import type { ConversationSummary } from '../api'

export const SEARCH_DELAY_MS = 250

// The server's answer to `query` (titles, questions and answers), asked once typing pauses for
// SEARCH_DELAY_MS; null while there is no query or no answer for this one yet. `version` asks
// again when the list changed (a new, renamed or deleted conversation).
export function useConversationSearch(
  query: string,
  version: unknown,
  search?: (q: string) => Promise<ConversationSummary[]>,
): ConversationSummary[] | null {
  const [found, setFound] = useState<{ query: string; list: ConversationSummary[] } | null>(null)
  const q = query.trim()
  useEffect(() => {
    if (!q || !search) return
    let current = true
    const t = setTimeout(() => {
      search(q)
        .then((list) => current && setFound({ query: q, list }))
        .catch(() => {}) // the titles' filter stays shown
    }, SEARCH_DELAY_MS)
    return () => {
      current = false
      clearTimeout(t)
    }
  }, [q, version, search])
  return found && found.query === q ? found.list : null
}
