import { useState, type KeyboardEvent, type Ref } from 'react'

export function Composer(props: {
  busy: boolean
  stopping: boolean
  onSend: (text: string) => void
  onStop: () => void
  inputRef?: Ref<HTMLTextAreaElement>
}) {
  const [text, setText] = useState('')
  const submit = () => {
    const t = text.trim()
    if (!t || props.busy) return
    props.onSend(t)
    setText('')
  }
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
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
      <textarea
        id="question"
        ref={props.inputRef}
        autoFocus
        value={text}
        rows={1}
        placeholder="Ask about projects, work items, cycles… (Enter sends, Shift+Enter adds a line)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
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
