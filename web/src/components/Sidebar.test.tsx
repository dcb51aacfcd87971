import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, it } from 'vitest'
import { Sidebar } from './Sidebar'

afterEach(cleanup)

const conv = (id: string, title: string) => ({ conversation_id: id, title, created_at: '', updated_at: '2026-12-01T10:00:00Z', message_count: 2 })

it('filters the list by the search box', () => {
  render(<Sidebar conversations={[conv('1', 'Open bugs by priority'), conv('2', 'Cycles this month')]} activeId={null} onOpen={() => {}} onNew={() => {}} onDelete={() => {}} />)
  const box = screen.getByRole('searchbox', { name: 'Search conversations by title' })
  fireEvent.change(box, { target: { value: 'cycles' } })
  expect(screen.queryByText('Open bugs by priority')).toBeNull()
  expect(screen.getByText('Cycles this month')).toBeTruthy()
  fireEvent.change(box, { target: { value: 'sprint' } })
  expect(screen.getByText('No title has “sprint”.')).toBeTruthy()
})
