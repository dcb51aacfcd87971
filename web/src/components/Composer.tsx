import { useEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react'
import { findMentions, insertMention, mentionAt, mentionText, type Mention, type MentionMatch } from '../mentions'

const KIND_LABELS: Record<string, string> = { workItem: 'item', members: 'person', userStory: 'story', features: 'feature' }

export function Composer(props: {
  busy: boolean
  stopping: boolean
  onSend: (text: string) => void
  onStop: () => void
  inputRef?: Ref<HTMLTextAreaElement>
}) {
  const [text, setText] = useState('')
  // A mention being typed ("@Mei", "PRO-1-5") and what the server says it may mean.
  const [mention, setMention] = useState<Mention | null>(null)
  const [matches, setMatches] = useState<MentionMatch[]>([])
  const [active, setActive] = useState(0)
  const box = useRef<HTMLTextAreaElement | null>(null)
  useEffect(() => {
    setMatches([])
    if (!mention || mention.query.length < 2) return
    const ctl = new AbortController()
    const t = setTimeout(() => {
      findMentions(mention.query, ctl.signal).then((m) => {
        setMatches(m)
        setActive(0)
      }, () => {})
    }, 150)
    return () => {
      clearTimeout(t)
      ctl.abort()
    }
  }, [mention?.query]) // eslint-disable-line react-hooks/exhaustive-deps
  const open = mention !== null && matches.length > 0
  const choose = (m: MentionMatch) => {
    if (!mention) return
    const next = insertMention(text, mention, mentionText(m))
    setText(next.text)
    setMention(null)
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret))
  }
  const submit = () => {
    const t = text.trim()
    if (!t || props.busy) return
    props.onSend(t)
    setText('')
    setMention(null)
  }
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault()
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length)
      return
    }
    // Enter on a mention typed in full sends the question.
    const typed = open && mentionText(matches[active]).toLowerCase() === mention.query.toLowerCase()
    if (open && (e.key === 'Tab' || (e.key === 'Enter' && !typed)) && !e.nativeEvent.isComposing) {
      e.preventDefault()
      choose(matches[active])
      return
    }
    if (open && e.key === 'Escape') {
      e.preventDefault()
      setMention(null)
      return
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      submit()
    }
  }
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <label htmlFor="question" className="visually-hidden">
        Your question
      </label>
      {open && (
        <ul className="mentions" role="listbox" id="mentions" aria-label="Matching items, people and projects">
          {matches.map((m, i) => (
            <li
              key={`${m.kind}:${m.id}`}
              id={`mention-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault() // keep the focus in the question
                choose(m)
              }}
            >
              <span className="muted small">{KIND_LABELS[m.kind] ?? m.kind}</span> {m.number ? `${m.number} · ` : ''}
              {m.name}
              {m.project && m.kind !== 'project' && <span className="muted small"> · {m.project}</span>}
            </li>
          ))}
        </ul>
      )}
      <textarea
        id="question"
        ref={(el) => {
          box.current = el
          if (typeof props.inputRef === 'function') props.inputRef(el)
          else if (props.inputRef) (props.inputRef as { current: HTMLTextAreaElement | null }).current = el
        }}
        autoFocus
        value={text}
        rows={1}
        placeholder="Ask about projects, work items, cycles… (Enter sends, Shift+Enter adds a line)"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? 'mentions' : undefined}
        aria-activedescendant={open ? `mention-${active}` : undefined}
        onChange={(e) => {
          setText(e.target.value)
          setMention(mentionAt(e.target.value, e.target.selectionStart ?? e.target.value.length))
        }}
        onKeyDown={onKey}
        onBlur={() => setMention(null)}
      />
      {props.busy ? (
        <button type="button" className="stop" onClick={props.onStop} disabled={props.stopping}>
          {props.stopping ? 'Stopping…' : 'Stop'}
        </button>
      ) : (
        <button type="submit" disabled={!text.trim()}>
          Send
        </button>
      )}
    </form>
  )
}
