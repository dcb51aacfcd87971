import { useId } from 'react'

// Questions offered after an answer, each a button that asks it.
export function FollowUps({ questions, onAsk }: { questions: string[]; onAsk?: (question: string) => void }) {
  const labelId = useId()
  return (
    <>
      <p className="muted small follow-ups-label" id={labelId}>
        Questions I can answer:
      </p>
      <ul className="follow-ups" aria-labelledby={labelId}>
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
