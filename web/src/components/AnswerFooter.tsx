import { useContext, useState } from 'react'
import type { Rating } from '../api'
import type { ChatMessage, TurnStats } from '../chatReducer'
import { RateAnswerContext } from '../hooks/useAnswerFeedback'
import type { AnsweredBy } from '../protocol'

const LABEL: Record<AnsweredBy, string> = { planner: 'Planner', model: 'Model', 'model-plan': 'Model plan', shell: 'Shell query' }
const MEANING: Record<AnsweredBy, string> = {
  planner: 'the built-in question planner, without a model',
  model: 'the language model, with tool calls',
  'model-plan': "the language model filling the planner's query plan",
  shell: 'a MongoDB shell query, run as written',
}

const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

type Answer = Extract<ChatMessage, { role: 'assistant' }>

// Under an answer: which path answered it, and (live turns) how fast. Token figures only for answers
// a model wrote. A finished answer the server has stored can be rated (given `answer` and a
// RateAnswerContext).
export function AnswerFooter({ by, stats, answer }: { by?: AnsweredBy; stats?: TurnStats; answer?: Answer }) {
  const rate = useContext(RateAnswerContext)
  const rateable = !!rate && answer?.state === 'done' && answer.stored !== undefined
  if (!by && !stats && !rateable) return null
  const modelWrote = !by || by === 'model' || by === 'model-plan'
  const figures: string[] = []
  if (stats) {
    if (modelWrote && stats.firstTokenMs !== null) figures.push(`first token ${Math.round(stats.firstTokenMs)} ms`)
    if (modelWrote) figures.push(`${stats.tokensPerSecond.toFixed(1)} tokens/s`)
    figures.push(duration(stats.elapsedMs))
  }
  return (
    <div className="stats muted small" data-testid="stats">
      {by && (
        <span className={`answered-by by-${by}`} data-testid="answered-by" title={`Answered by ${MEANING[by]}`}>
          <span className="visually-hidden">Answered by </span>
          {LABEL[by]}
        </span>
      )}
      {figures.length > 0 && <span>{figures.join(' · ')}</span>}
      {rateable && <Thumbs rating={answer.feedback} onRate={(r) => rate(answer.id, r)} />}
    </div>
  )
}

// Pressing the pressed one again takes the rating back.
function Thumbs({ rating, onRate }: { rating?: Rating; onRate: (rating: Rating | null) => Promise<boolean> }) {
  const [failed, setFailed] = useState(false)
  const press = (r: Rating) => onRate(rating === r ? null : r).then((ok) => setFailed(!ok))
  return (
    <span className="rating" role="group" aria-label="Rate this answer" data-testid="rating">
      <button type="button" className="thumb" aria-pressed={rating === 'up'} aria-label="Good answer" title="Good answer" onClick={() => press('up')}>
        <Thumb />
      </button>
      <button type="button" className="thumb" aria-pressed={rating === 'down'} aria-label="Bad answer" title="Bad answer" onClick={() => press('down')}>
        <Thumb down />
      </button>
      {failed && (
        <span className="error-text" role="status">
          Not saved
        </span>
      )}
    </span>
  )
}

// Feather's thumbs-up (MIT), flipped for down: drawn, so it shows without an emoji font.
function Thumb({ down }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" style={down ? { transform: 'scaleY(-1)' } : undefined}>
      <path d="M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3" />
    </svg>
  )
}
