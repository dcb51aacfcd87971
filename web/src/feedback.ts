// Ratings of answers: reading them, and finding the stored message a live answer became. Pure.
import type { Rating } from './api'

export const readRating = (v: unknown): Rating | undefined => (v === 'up' || v === 'down' ? v : undefined)

interface Stored {
  role: string
  content: string
  tool_calls?: unknown[]
  stopped?: boolean
}

// The place of the newest turn's answer when it is the one the turn just gave (`response`, as
// complete said it), else null: a rating never lands on another answer.
export function storedAnswerIndex(stored: Stored[], response: string): number | null {
  for (let i = stored.length - 1; i >= 0; --i) {
    const m = stored[i]
    if (m.role === 'user') return null
    if (m.role !== 'assistant' || m.tool_calls?.length) continue
    return !m.stopped && m.content === response ? i : null
  }
  return null
}
