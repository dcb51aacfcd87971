// Keeps keyboard focus in a control that replaces its own buttons: when what had focus inside
// `container` is gone (the last page came, its buttons went), focus moves to `fallback` instead of
// falling back to the top of the page.
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'

export function useFocusHandoff<C extends HTMLElement, F extends HTMLElement>(fallback: RefObject<F | null>, key: unknown): RefObject<C | null> {
  const container = useRef<C>(null)
  const inside = useRef(false)
  useEffect(() => {
    const el = container.current
    if (!el) return
    const onIn = () => {
      inside.current = true
    }
    // A focused element that is removed leaves no relatedTarget: that is not the user moving on.
    const onOut = (e: FocusEvent) => {
      if (e.relatedTarget && !el.contains(e.relatedTarget as Node)) inside.current = false
    }
    el.addEventListener('focusin', onIn)
    el.addEventListener('focusout', onOut)
    return () => {
      el.removeEventListener('focusin', onIn)
      el.removeEventListener('focusout', onOut)
    }
  }, [])
  useLayoutEffect(() => {
    const lost = !document.activeElement || document.activeElement === document.body
    if (inside.current && lost) fallback.current?.focus()
  }, [key, fallback])
  return container
}
