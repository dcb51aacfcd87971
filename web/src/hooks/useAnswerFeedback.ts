import { createContext, useCallback, useEffect, useRef, type Dispatch } from 'react'
import { loadConversation, rateAnswer, type Rating } from '../api'
import type { ChatAction, ChatState } from '../chatReducer'
import { storedAnswerIndex } from '../feedback'

// Rates an answer by its message id; resolves false when the server did not save it.
export type RateAnswer = (id: string, rating: Rating | null) => Promise<boolean>
export const RateAnswerContext = createContext<RateAnswer | null>(null)

// Ratings for the open conversation: a live answer learns its stored place once its turn ends
// (reloaded answers know it), and a rating shows at once, undone if the server refuses it.
export function useAnswerFeedback(state: ChatState, dispatch: Dispatch<ChatAction>): RateAnswer {
  const stateRef = useRef(state)
  stateRef.current = state
  const last = state.messages[state.messages.length - 1]
  const pending = !state.turnActive && last?.role === 'assistant' && last.state === 'done' && last.stored === undefined && last.response !== undefined
  const conversationId = state.conversationId
  useEffect(() => {
    if (!pending || !conversationId || last.role !== 'assistant') return
    const { id, response } = last
    let current = true
    loadConversation(conversationId)
      .then((stored) => {
        const index = storedAnswerIndex(stored, response!)
        if (current && index !== null) dispatch({ type: 'answer_stored', id, index })
      })
      .catch(() => {}) // no rating buttons on this answer until the conversation is reloaded
    return () => {
      current = false
    }
  }, [pending, conversationId, last, dispatch])

  return useCallback(
    async (id, rating) => {
      const { conversationId: cid, messages } = stateRef.current
      const m = messages.find((x) => x.id === id)
      if (!cid || m?.role !== 'assistant' || m.stored === undefined) return false
      dispatch({ type: 'rate', id, rating })
      try {
        await rateAnswer(cid, m.stored, rating)
        return true
      } catch {
        dispatch({ type: 'rate', id, rating: m.feedback ?? null })
        return false
      }
    },
    [dispatch],
  )
}
