import type { TurnStats } from '../chatReducer'
import type { AnsweredBy } from '../protocol'

const LABEL: Record<AnsweredBy, string> = { planner: 'Planner', model: 'Model', 'model-plan': 'Model plan', shell: 'Shell query' }
const MEANING: Record<AnsweredBy, string> = {
  planner: 'the built-in question planner, without a model',
  model: 'the language model, with tool calls',
  'model-plan': "the language model filling the planner's query plan",
  shell: 'a MongoDB shell query, run as written',
}

const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

// Under an answer: which path answered it, and (live turns) how fast. Token figures only for answers
// a model wrote.
export function AnswerFooter({ by, stats }: { by?: AnsweredBy; stats?: TurnStats }) {
  if (!by && !stats) return null
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
    </div>
  )
}
