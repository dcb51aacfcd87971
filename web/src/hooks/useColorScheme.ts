import { useSyncExternalStore } from 'react'
import type { ColorScheme } from '../chart'

// The page's colour scheme, as styles.css picks it (prefers-color-scheme), following changes.
const query = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null)

function subscribe(onChange: () => void) {
  const q = query()
  q?.addEventListener('change', onChange)
  return () => q?.removeEventListener('change', onChange)
}

export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, () => (query()?.matches ? 'dark' : 'light'))
}
