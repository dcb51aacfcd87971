import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import type { ConversationSummary } from '../api'
import { SEARCH_DELAY_MS } from '../hooks/useConversationSearch'
import { Sidebar } from './Sidebar'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const now = new Date(2026, 11, 2, 15)
const conv = (id: string, title: string, updated = new Date(2026, 11, 2, 10)): ConversationSummary => ({
  conversation_id: id,
  title,
  created_at: '',
  updated_at: updated.toISOString(),
  message_count: 2,
})
const noop = () => {}
const list = [conv('1', 'Open bugs by priority'), conv('2', 'Cycles this month', new Date(2026, 11, 1, 9))]

it('groups the conversations by day under headings', () => {
  render(<Sidebar conversations={list} activeId={null} onOpen={noop} onNew={noop} onDelete={noop} now={now} />)
  expect(within(screen.getByRole('region', { name: 'Today' })).getByText('Open bugs by priority')).toBeTruthy()
  expect(within(screen.getByRole('region', { name: 'Yesterday' })).getByText('Cycles this month')).toBeTruthy()
})

it('filters by title at once, then shows what the server search found once typing pauses', async () => {
  vi.useFakeTimers()
  const search = vi.fn(async (q: string) => (q === 'sprint' ? [list[1]] : []))
  render(<Sidebar conversations={list} activeId={null} onOpen={noop} onNew={noop} onDelete={noop} search={search} now={now} />)
  const box = screen.getByRole('searchbox', { name: 'Search conversations' })
  fireEvent.change(box, { target: { value: 'cycles' } })
  expect(screen.queryByText('Open bugs by priority')).toBeNull() // the titles' filter, before the server answers
  fireEvent.change(box, { target: { value: 'sprin' } })
  fireEvent.change(box, { target: { value: 'sprint' } })
  expect(screen.getByText('No conversation has “sprint”.')).toBeTruthy()
  await act(async () => {
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS)
  })
  expect(search).toHaveBeenCalledTimes(1) // debounced: one request for what was typed
  expect(search).toHaveBeenCalledWith('sprint')
  expect(screen.getByText('Cycles this month')).toBeTruthy() // a word of its messages, not of its title
  fireEvent.change(box, { target: { value: '' } })
  expect(screen.getByText('Open bugs by priority')).toBeTruthy()
})

it('renames in place: Enter saves, Escape keeps the old title, a refusal is shown', async () => {
  const onRename = vi.fn(async (_id: string, title: string) => {
    if (title.length > 10) throw new Error('the title is over 10 characters: shorten it')
  })
  render(<Sidebar conversations={list} activeId={null} onOpen={noop} onNew={noop} onDelete={noop} onRename={onRename} now={now} />)
  fireEvent.click(screen.getByRole('button', { name: 'Rename conversation Open bugs by priority' }))
  const box = screen.getByRole('textbox', { name: 'New title' })
  fireEvent.keyDown(box, { key: 'Escape' })
  expect(screen.queryByRole('textbox', { name: 'New title' })).toBeNull()
  expect(onRename).not.toHaveBeenCalled()

  fireEvent.click(screen.getByRole('button', { name: 'Rename conversation Open bugs by priority' }))
  fireEvent.change(screen.getByRole('textbox', { name: 'New title' }), { target: { value: 'A title far too long' } })
  await act(async () => {
    fireEvent.submit(screen.getByRole('textbox', { name: 'New title' }))
  })
  expect(screen.getByRole('alert').textContent).toBe('the title is over 10 characters: shorten it')
  fireEvent.change(screen.getByRole('textbox', { name: 'New title' }), { target: { value: ' Bugs ' } })
  await act(async () => {
    fireEvent.submit(screen.getByRole('textbox', { name: 'New title' }))
  })
  expect(onRename).toHaveBeenLastCalledWith('1', 'Bugs')
  expect(screen.queryByRole('textbox', { name: 'New title' })).toBeNull()
})
