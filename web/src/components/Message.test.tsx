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

const answer = (over: Partial<Extract<ChatMessage, { role: 'assistant' }>> = {}): ChatMessage => ({
  role: 'assistant',
  id: 'a2',
  state: 'done',
  parts: [{ kind: 'text', text: 'Work items by priority:\n\n| Priority | Work items |\n| --- | --- |\n| HIGH | 4 |' }],
  suggestions: ['by assignee', 'only HIGH'],
  ...over,
})

it('offers the latest answer\'s follow-ups as buttons that ask them', () => {
  const onAsk = vi.fn()
  render(<Message message={answer()} latest onAsk={onAsk} />)
  const list = screen.getByRole('list', { name: 'Ask next:' })
  expect(list.querySelectorAll('button')).toHaveLength(2)
  fireEvent.click(screen.getByRole('button', { name: 'only HIGH' }))
  expect(onAsk).toHaveBeenCalledWith('only HIGH')
})

it('offers no follow-ups under older answers', () => {
  render(<Message message={answer()} onAsk={() => {}} />)
  expect(screen.queryByRole('list', { name: 'Ask next:' })).toBeNull()
})

it('keeps the table, and draws the chart above it once loaded', async () => {
  const chart = { type: 'bar' as const, title: 'By priority', x_label: 'Priority', y_label: 'Work items', data: [{ x: 'HIGH', y: 4 }], alt: 'HIGH 4' }
  const { container } = render(<Message message={answer({ chart })} latest />)
  const figure = await screen.findByTestId('answer-chart', undefined, { timeout: 5000 })
  expect(screen.getByRole('img', { name: 'HIGH 4' })).toBeTruthy()
  expect(screen.getByText('By priority')).toBeTruthy()
  const table = container.querySelector('table')!
  expect(figure.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  expect(screen.getByText('Work items by priority:').compareDocumentPosition(figure) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
})
