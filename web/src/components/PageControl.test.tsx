import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../chatReducer'
import type { ListPaging } from '../paging'
import { Message } from './Message'

afterEach(cleanup)

const list = (l: Partial<ListPaging> = {}): ListPaging => ({ offset: 0, rows: 10, total: 30, next: 'show more', pageSize: 10, loading: false, ...l })
const answer = (l?: ListPaging): ChatMessage => ({
  role: 'assistant',
  id: 'a1',
  state: 'done',
  parts: [{ kind: 'text', text: '| N |\n| --- |\n| 1 |\n' }],
  answeredBy: 'planner',
  list: l,
})

describe('the Show more control', () => {
  it('says how many rows remain and asks for the next page, or all of them', () => {
    const onRequest = vi.fn()
    render(<Message message={answer(list())} pager={{ onRequest }} />)
    expect(screen.getByText('Showing 10 of 30.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Show 10 more of 20 remaining' }))
    fireEvent.click(screen.getByRole('button', { name: 'Show all 30' }))
    expect(onRequest.mock.calls).toEqual([['show more'], ['show all']])
  })

  it('offers no Show all over the cap, nor when the next page is the rest', () => {
    const { rerender } = render(<Message message={answer(list({ total: 900 }))} pager={{ onRequest: () => {} }} />)
    expect(screen.getByRole('button', { name: 'Show 10 more of 890 remaining' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull()
    rerender(<Message message={answer(list({ rows: 25 }))} pager={{ onRequest: () => {} }} />)
    expect(screen.getByRole('button', { name: 'Show 5 more of 5 remaining' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull()
  })

  it('is disabled while rows load or another turn runs, and keeps focus on the button', () => {
    const onRequest = vi.fn()
    const { rerender } = render(<Message message={answer(list())} pager={{ onRequest }} />)
    const more = screen.getByRole('button', { name: /Show 10 more/ })
    more.focus()
    rerender(<Message message={answer(list({ loading: true }))} pager={{ onRequest }} />)
    expect(more.getAttribute('aria-disabled')).toBe('true')
    expect(screen.getByText(/Loading more rows/)).toBeTruthy()
    fireEvent.click(more)
    rerender(<Message message={answer(list())} pager={{}} />)
    fireEvent.click(screen.getByRole('button', { name: /Show 10 more/ }))
    expect(onRequest).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(more)
  })

  it('after the last page says all rows are shown and moves focus there', () => {
    const { rerender } = render(<Message message={answer(list({ rows: 20 }))} pager={{ onRequest: () => {} }} />)
    screen.getByRole('button', { name: /Show 10 more/ }).focus()
    act(() => rerender(<Message message={answer(list({ rows: 30 }))} pager={{ onRequest: () => {} }} />))
    expect(screen.queryByRole('button', { name: /Show/ })).toBeNull()
    const status = screen.getByText('All 30 rows are shown.')
    expect(document.activeElement).toBe(status)
  })

  it('shows an error as an alert, with the buttons back', () => {
    render(<Message message={answer(list({ error: 'The rows could not be loaded: locked. Try again.' }))} pager={{ onRequest: () => {} }} />)
    expect(screen.getByRole('alert').textContent).toBe('The rows could not be loaded: locked. Try again.')
    expect(screen.getByRole('button', { name: /Show 10 more/ }).getAttribute('aria-disabled')).toBe('false')
  })

  it('is not there without a page, or on an answer that is not the last', () => {
    render(<Message message={answer(undefined)} pager={{ onRequest: () => {} }} />)
    render(<Message message={answer(list())} />)
    expect(screen.queryByTestId('page-control')).toBeNull()
  })
})
