import { useEffect, useLayoutEffect, useRef } from 'react'
import type { ChatMessage } from '../chatReducer'
import { latestAnswer, pagerTarget } from '../paging'
import { Message } from './Message'

// Follows the stream to the bottom unless the user scrolled up to read. Show more turns are not
// shown: their rows are in the table they extend. onAsk/onPage are missing while a turn runs.
export function MessageList(props: {
  messages: ChatMessage[]
  onAsk?: (question: string) => void
  onPage?: (answerId: string, text: string) => void
  children?: React.ReactNode
}) {
  const { messages, onAsk, onPage, children } = props
  const pageable = pagerTarget(messages)
  const latest = latestAnswer(messages)?.id
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
      {messages.map((m) =>
        m.hidden ? null : (
          <Message
            key={m.id}
            message={m}
            latest={m.id === latest}
            onAsk={onAsk}
            pager={m.id === pageable ? { onRequest: onPage && ((text: string) => onPage(m.id, text)) } : undefined}
          />
        ),
      )}
      {children}
    </div>
  )
}
