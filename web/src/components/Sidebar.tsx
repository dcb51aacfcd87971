import type { Ref } from 'react'
import type { ConversationSummary } from '../api'

export function Sidebar(props: {
  conversations: ConversationSummary[]
  activeId: string | null
  onOpen: (id: string) => void
  onNew: () => void
  onDelete: (id: string) => void
  drawerRef?: Ref<HTMLElement>
}) {
  return (
    <nav className="sidebar" id="conversations" aria-label="Conversations" ref={props.drawerRef}>
      <button type="button" className="new-chat" onClick={props.onNew}>
        + New conversation
      </button>
      <ul>
        {props.conversations.map((c) => (
          <li key={c.conversation_id} className={c.conversation_id === props.activeId ? 'active' : ''}>
            <button type="button" className="conv" onClick={() => props.onOpen(c.conversation_id)} aria-current={c.conversation_id === props.activeId}>
              <span className="conv-title">{c.title || 'Untitled'}</span>
              <span className="muted small">{new Date(c.updated_at).toLocaleString()}</span>
            </button>
            <button type="button" className="delete" aria-label={`Delete conversation ${c.title}`} onClick={() => props.onDelete(c.conversation_id)}>
              ×
            </button>
          </li>
        ))}
        {props.conversations.length === 0 && <li className="muted small empty">No conversations yet.</li>}
      </ul>
    </nav>
  )
}
