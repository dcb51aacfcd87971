import type { ChatMessage } from '../chatReducer'
import { useFollowBottom } from '../hooks/useFollowBottom'
import { latestAnswer, pagerTarget } from '../paging'
import { Message } from './Message'

// Follows the stream, and content that grows later (a chart drawn), to the bottom unless the user
// scrolled up to read. Show more turns are not shown: their rows are in the table they extend. onAsk/onPage are missing while a turn runs.
export function MessageList(props: {
  messages: ChatMessage[]
  onAsk?: (question: string) => void
  onPage?: (answerId: string, text: string) => void
  children?: React.ReactNode
}) {
  const { messages, onAsk, onPage, children } = props
  const pageable = pagerTarget(messages)
  const latest = latestAnswer(messages)?.id
  // Asking is a wish to see the answer: a new question resumes following (Show more, hidden, does not).
  const ref = useFollowBottom<HTMLDivElement>(messages.findLast((m) => m.role === 'user' && !m.hidden)?.id)
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
