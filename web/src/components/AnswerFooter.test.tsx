import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../chatReducer'
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
