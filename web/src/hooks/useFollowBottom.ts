import { useLayoutEffect, useRef } from 'react'

// Keeps a scrolling list at its bottom while the reader is there (within `slack` px), both when
// it renders and when its content grows later on its own, as a chart does when its lazily loaded
// library draws: without the second, the newest answer ends up cut off. Scrolling up to read
// stops the following; scrolling back down, or a new `resumeOn` (the question just asked), resumes it.
export function useFollowBottom<T extends HTMLElement>(resumeOn?: unknown, slack = 48) {
  const ref = useRef<T>(null)
  const follow = useRef(true)
  const resumed = useRef(resumeOn)
  if (resumed.current !== resumeOn) {
    resumed.current = resumeOn
    follow.current = true
  }
  const observer = useRef<ResizeObserver | null>(null)
  const toBottom = () => {
    const el = ref.current
    if (el && follow.current) el.scrollTop = el.scrollHeight
  }
  // A layout effect, so the observer exists before the first render's children are observed below.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const onScroll = () => {
      follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < slack
    }
    el.addEventListener('scroll', onScroll, { passive: true })
    // Older browsers without ResizeObserver follow on render only.
    observer.current = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(toBottom)
    return () => {
      el.removeEventListener('scroll', onScroll)
      observer.current?.disconnect()
      observer.current = null
    }
  }, [slack])
  useLayoutEffect(() => {
    toBottom()
    // Watch each child (observing one already watched is a no-op); a removed child is dropped by the browser.
    for (const child of Array.from(ref.current?.children ?? [])) observer.current?.observe(child)
  })
  return ref
}
