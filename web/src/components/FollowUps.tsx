import { useId } from 'react'

// Questions offered after an answer, each a button that asks it.
export function FollowUps({ label, questions, onAsk }: { label: string; questions: string[]; onAsk?: (question: string) => void }) {
  const labelId = useId()
  return (
    <>
      <p className="muted small follow-ups-label" id={labelId}>
        {label}
      </p>
      <ul className="follow-ups" data-testid="follow-ups" aria-labelledby={labelId}>
        {questions.map((q) => (
          <li key={q}>
            <button type="button" disabled={!onAsk} onClick={() => onAsk?.(q)}>
              {q}
            </button>
          </li>
        ))}
      </ul>
    </>
  )
}
