import { useCallback, useEffect, useRef, useState } from 'react'

// The phone's conversation drawer: opened by its button, closed by the button, Escape, or a tap
// anywhere outside it. Focus goes into the drawer when it opens and back to the button on Escape.
export function useDrawer() {
  const [open, setOpen] = useState(false)
  const drawerRef = useRef<HTMLElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const close = useCallback(() => setOpen(false), [])
  const toggle = useCallback(() => setOpen((o) => !o), [])

  useEffect(() => {
    if (!open) return
    drawerRef.current?.querySelector<HTMLElement>('button, input, [href]')?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      setOpen(false)
      buttonRef.current?.focus()
    }
    const onClick = (e: MouseEvent) => {
      const t = e.target as Node
      if (drawerRef.current?.contains(t) || buttonRef.current?.contains(t)) return
      setOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('click', onClick)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('click', onClick)
    }
  }, [open])

  return { open, close, toggle, drawerRef, buttonRef }
}
