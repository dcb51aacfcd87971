import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../chatReducer'
import { RateAnswerContext } from '../hooks/useAnswerFeedback'
import { Message } from './Message'

afterEach(cleanup)

const answer = (): Extract<ChatMessage, { role: 'assistant' }> => ({ role: 'assistant', id: 'a1', state: 'done', parts: [{ kind: 'text', text: 'Six.' }], answeredBy: 'planner' })

describe('the answer footer', () => {
  it('names the path that answered, for screen readers too', () => {
    render(<Message message={{ ...answer(), answeredBy: 'model-plan', stats: { firstTokenMs: 300, tokens: 40, tokensPerSecond: 20, elapsedMs: 2400 } }} />)
    expect(screen.getByTestId('answered-by').textContent).toBe('Answered by Model plan')
    expect(screen.getByTestId('stats').textContent).toContain('first token 300 ms · 20.0 tokens/s · 2.4 s')
  })

  it('gives a planner answer its time without token figures, and a reloaded one just its path', () => {
    const { rerender } = render(<Message message={{ ...answer(), stats: { firstTokenMs: 2, tokens: 0, tokensPerSecond: 0, elapsedMs: 12 } }} />)
    expect(screen.getByTestId('stats').textContent).toBe('Answered by Planner12 ms')
    rerender(<Message message={answer()} />)
    expect(screen.getByTestId('stats').textContent).toBe('Answered by Planner')
    rerender(<Message message={{ ...answer(), answeredBy: undefined }} />)
    expect(screen.queryByTestId('stats')).toBeNull()
  })
})

describe('rating an answer', () => {
  const stored = () => ({ ...answer(), stored: 3 })

  it('offers two pressed-or-not buttons once the answer is stored, and only with a way to save them', () => {
    const rate = vi.fn(async () => true)
    const { rerender } = render(
      <RateAnswerContext.Provider value={rate}>
        <Message message={{ ...answer() }} />
      </RateAnswerContext.Provider>,
    )
    expect(screen.queryByRole('group', { name: 'Rate this answer' })).toBeNull() // not stored yet
    rerender(<Message message={stored()} />)
    expect(screen.queryByRole('group', { name: 'Rate this answer' })).toBeNull() // nowhere to save it
    rerender(
      <RateAnswerContext.Provider value={rate}>
        <Message message={{ ...stored(), feedback: 'down' }} />
      </RateAnswerContext.Provider>,
    )
    expect(screen.getByRole('button', { name: 'Good answer' }).getAttribute('aria-pressed')).toBe('false')
    expect(screen.getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed')).toBe('true')
  })

  it('presses one, takes a pressed one back, and says when the server did not save it', async () => {
    const rate = vi.fn(async (_id: string, r: string | null) => r !== 'down')
    render(
      <RateAnswerContext.Provider value={rate}>
        <Message message={{ ...stored(), feedback: 'up' }} />
      </RateAnswerContext.Provider>,
    )
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Good answer' })))
    expect(rate).toHaveBeenLastCalledWith('a1', null)
    expect(screen.queryByText('Not saved')).toBeNull()
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Bad answer' })))
    expect(rate).toHaveBeenLastCalledWith('a1', 'down')
    expect(screen.getByRole('status').textContent).toBe('Not saved')
  })
})
