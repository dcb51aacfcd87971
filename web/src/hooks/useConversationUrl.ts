import { useEffect, useRef } from 'react'
import { conversationFromPath, pathFor } from '../route'

// Keeps the address (/c/<id>) and the open conversation in step: opening the page or going
// back/forward opens the conversation the address names (navigate resolves false when it cannot
// be opened: the address then goes back to /); opening another one adds a history entry. A new
// conversation (an id not yet saved) keeps / until its first turn completes, so a reload never
// names one that a failed first question left unsaved; its id then replaces the bare "/" it
// started from, so Back does not return to an empty page.
export function useConversationUrl(conversationId: string | null, saved: boolean, navigate: (id: string | null) => Promise<boolean>) {
  const unsaved = useRef<string | null>(null) // the new conversation this page started
  const navigating = useRef(false)
  const navigateRef = useRef(navigate)
  navigateRef.current = navigate

  useEffect(() => {
    const follow = () => {
      const id = conversationFromPath(location.pathname)
      navigating.current = true
      navigateRef.current(id).then((ok) => {
        navigating.current = false
        if (!ok) history.replaceState(null, '', pathFor(null) + location.search)
      })
    }
    if (conversationFromPath(location.pathname)) follow()
    window.addEventListener('popstate', follow)
    return () => window.removeEventListener('popstate', follow)
  }, [])

  useEffect(() => {
    if (navigating.current) return
    if (!saved) unsaved.current = conversationId
    const target = saved ? conversationId : null
    const shown = conversationFromPath(location.pathname)
    if (shown === target) return
    const url = pathFor(target) + location.search
    if (shown === null && target !== null && target === unsaved.current) {
      history.replaceState(null, '', url)
      unsaved.current = null
    } else history.pushState(null, '', url)
  }, [conversationId, saved])
}
