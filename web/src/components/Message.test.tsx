import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../chatReducer'
import { Message } from './Message'

afterEach(cleanup)

const refusal = (state: 'done' | 'streaming'): ChatMessage => ({
  role: 'assistant',
  id: 'a1',
  state,
  parts: [{ kind: 'text', text: 'I can\'t answer that.\n\nQuestions I can answer, for example:\n- Work items by state\n- Overdue work items' }],
})

it('turns a refusal\'s suggestions into buttons that ask them', () => {
  const onAsk = vi.fn()
  render(<Message message={refusal('done')} onAsk={onAsk} />)
  const list = screen.getByRole('list', { name: 'Questions I can answer:' })
  expect(list.querySelectorAll('button')).toHaveLength(2)
  expect(screen.queryByText('Questions I can answer, for example:')).toBeNull()
  fireEvent.click(screen.getByRole('button', { name: 'Overdue work items' }))
  expect(onAsk).toHaveBeenCalledWith('Overdue work items')
})

it('shows the text as it streams, and no buttons until the answer is finished', () => {
  render(<Message message={refusal('streaming')} onAsk={() => {}} />)
  expect(screen.queryByRole('list', { name: 'Questions I can answer:' })).toBeNull()
  expect(screen.getByText('Overdue work items')).toBeTruthy()
})
