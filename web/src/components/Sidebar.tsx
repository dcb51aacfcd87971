import { useState, type Ref } from 'react'
import type { ConversationSummary } from '../api'
import { filterConversations } from '../conversationFilter'

export function Sidebar(props: {
  conversations: ConversationSummary[]
  activeId: string | null
  onOpen: (id: string) => void
  onNew: () => void
  onDelete: (id: string) => void
  drawerRef?: Ref<HTMLElement>
}) {
  const [query, setQuery] = useState('')
  const shown = filterConversations(props.conversations, query)
  return (
    <nav className="sidebar" id="conversations" aria-label="Conversations" ref={props.drawerRef}>
      <button type="button" className="new-chat" onClick={props.onNew}>
        + New conversation
      </button>
      {props.conversations.length > 0 && (
        <input
          type="search"
          className="conv-search"
          aria-label="Search conversations by title"
          placeholder="Search titles…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      )}
      <ul>
        {shown.map((c) => (
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
        {props.conversations.length > 0 && shown.length === 0 && <li className="muted small empty">No title has “{query.trim()}”.</li>}
      </ul>
    </nav>
  )
}
