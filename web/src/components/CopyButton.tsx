import { useEffect, useState } from 'react'
import { copyText } from '../clipboard'

// A button that copies what text() gives and says for a moment whether it worked.
export function CopyButton({ label, text, className = 'action' }: { label: string; text: () => string; className?: string }) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null)
  useEffect(() => {
    if (!result) return
    const t = setTimeout(() => setResult(null), 1500)
    return () => clearTimeout(t)
  }, [result])
  return (
    <button type="button" className={className} onClick={() => copyText(text()).then((ok) => setResult(ok ? 'copied' : 'failed'))}>
      {result === 'copied' ? 'Copied' : result === 'failed' ? 'Copy failed' : label}
    </button>
  )
}
