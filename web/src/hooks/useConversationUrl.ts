import { useEffect, useRef } from 'react'
import { conversationFromPath, pathFor } from '../route'

// Keeps the address (/c/<id>) and the open conversation in step: opening the page or going
// back/forward opens the conversation the address names (navigate resolves false when it cannot
// be opened: the address then goes back to /); opening another one adds a history entry, and the
// id a new conversation gets when its first question is accepted (during a turn) replaces the
// bare "/" it started from, so Back does not return to an empty page.
export function useConversationUrl(conversationId: string | null, turnActive: boolean, navigate: (id: string | null) => Promise<boolean>) {
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
    const shown = conversationFromPath(location.pathname)
    if (shown === conversationId) return
    const url = pathFor(conversationId) + location.search
    if (shown === null && turnActive) history.replaceState(null, '', url)
    else history.pushState(null, '', url)
    // turnActive is read, not watched: only a change of conversation moves the address.
  }, [conversationId])
}
