import { useRef, useState, type Ref } from 'react'
import type { ConversationSummary } from '../api'
import { filterConversations } from '../conversationFilter'
import { groupByDay } from '../conversationGroups'
import { useConversationSearch } from '../hooks/useConversationSearch'

export function Sidebar(props: {
  conversations: ConversationSummary[]
  activeId: string | null
  onOpen: (id: string) => void
  onNew: () => void
  onDelete: (id: string) => void
  // Resolves once saved; a refusal rejects with what to fix.
  onRename?: (id: string, title: string) => Promise<void>
  // The server's search over titles, questions and answers; without it, titles only.
  search?: (query: string) => Promise<ConversationSummary[]>
  now?: Date
  drawerRef?: Ref<HTMLElement>
}) {
  const [query, setQuery] = useState('')
  const [editing, setEditing] = useState<string | null>(null)
  const searched = useConversationSearch(query, props.conversations, props.search)
  const shown = searched ?? filterConversations(props.conversations, query)
  const groups = groupByDay(shown, props.now ?? new Date())
  return (
    <nav className="sidebar" id="conversations" aria-label="Conversations" ref={props.drawerRef}>
      <button type="button" className="new-chat" onClick={props.onNew}>
        + New conversation
      </button>
      {props.conversations.length > 0 && (
        <input
          type="search"
          className="conv-search"
          aria-label="Search conversations"
          placeholder="Search conversations…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      )}
      <div className="conv-list">
        {groups.map((g) => (
          <section key={g.label} aria-label={g.label}>
            <h2 className="conv-day">{g.label}</h2>
            <ul>
              {g.conversations.map((c) => (
                <li key={c.conversation_id} className={c.conversation_id === props.activeId ? 'active' : ''}>
                  {editing === c.conversation_id && props.onRename ? (
                    <RenameBox title={c.title} onSave={(title) => props.onRename!(c.conversation_id, title)} onDone={() => setEditing(null)} />
                  ) : (
                    <>
                      <button type="button" className="conv" onClick={() => props.onOpen(c.conversation_id)} aria-current={c.conversation_id === props.activeId}>
                        <span className="conv-title">{c.title || 'Untitled'}</span>
                        <span className="muted small">{new Date(c.updated_at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}</span>
                      </button>
                      {props.onRename && (
                        <button type="button" className="rename" aria-label={`Rename conversation ${c.title}`} title="Rename" onClick={() => setEditing(c.conversation_id)}>
                          ✎
                        </button>
                      )}
                      <button type="button" className="delete" aria-label={`Delete conversation ${c.title}`} onClick={() => props.onDelete(c.conversation_id)}>
                        ×
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
        {props.conversations.length === 0 && <p className="muted small empty">No conversations yet.</p>}
        {props.conversations.length > 0 && shown.length === 0 && <p className="muted small empty">No conversation has “{query.trim()}”.</p>}
      </div>
    </nav>
  )
}

// The title as a text box: Enter (or leaving it) saves, Escape keeps the old one.
function RenameBox(props: { title: string; onSave: (title: string) => Promise<void>; onDone: () => void }) {
  const [value, setValue] = useState(props.title)
  const [error, setError] = useState<string | null>(null)
  const busy = useRef(false) // saving, or closed: a blur after Enter or Escape saves nothing
  const done = () => {
    busy.current = true
    props.onDone()
  }
  const save = () => {
    const title = value.trim()
    if (busy.current) return
    if (!title || title === props.title) return done()
    busy.current = true
    props
      .onSave(title)
      .then(props.onDone)
      .catch((e: unknown) => {
        busy.current = false
        setError(e instanceof Error ? e.message : String(e))
      })
  }
  return (
    <form
      className="rename-form"
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <input
        className="rename-input"
        aria-label="New title"
        value={value}
        maxLength={120}
        autoFocus
        aria-invalid={!!error}
        aria-describedby={error ? 'rename-error' : undefined}
        onChange={(e) => setValue(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault()
            e.stopPropagation() // closes the box, not the drawer
            done()
          }
        }}
      />
      {error && (
        <span id="rename-error" className="error-text small" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}
