import { useEffect, useLayoutEffect, useRef } from 'react'
import type { ChatMessage } from '../chatReducer'
import { Message } from './Message'

// Follows the stream to the bottom unless the user scrolled up to read.
export function MessageList({ messages, onAsk, children }: { messages: ChatMessage[]; onAsk?: (question: string) => void; children?: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  const follow = useRef(true)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const onScroll = () => {
      follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48
    }
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => el.removeEventListener('scroll', onScroll)
  }, [])
  useLayoutEffect(() => {
    const el = ref.current
    if (el && follow.current) el.scrollTop = el.scrollHeight
  })
  return (
    <div className="messages" ref={ref} role="log" aria-live="polite" aria-label="Conversation">
      {messages.map((m) => (
        <Message key={m.id} message={m} onAsk={onAsk} />
      ))}
      {children}
    </div>
  )
}
