import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, it } from 'vitest'
import { ToolCard } from './ToolCard'

afterEach(cleanup)

const part = {
  kind: 'tool' as const,
  name: 'aggregate',
  input: '',
  args: { collection: 'workItem', pipeline: [{ $group: { _id: '$priority', count: { $sum: 1 } } }] },
  state: 'done' as const,
  ok: true,
  output: JSON.stringify({ results: [{ _id: 'HIGH', count: 41 }] }),
  elapsedMs: 0.5,
}

it('is one line until opened, then shows the query and the first rows', () => {
  render(<ToolCard part={part} />)
  const toggle = screen.getByRole('button', { expanded: false })
  expect(toggle.textContent).toContain('aggregate · workItem · by priority · 1 row · 0.5 ms')
  expect(screen.queryByLabelText('Query')).toBeNull()
  fireEvent.click(toggle)
  expect(toggle.getAttribute('aria-expanded')).toBe('true')
  expect(screen.getByLabelText('Query').textContent).toContain('"$group"')
  expect(screen.getByRole('columnheader', { name: '_id' })).toBeTruthy()
  expect(screen.getByRole('cell', { name: 'HIGH' })).toBeTruthy()
  fireEvent.click(toggle)
  expect(screen.queryByLabelText('Query')).toBeNull()
})

it('has a Copy query button while collapsed', () => {
  render(<ToolCard part={part} />)
  expect(screen.getByRole('button', { name: 'Copy query' })).toBeTruthy()
})

it('shows an id by its name in the line and in the query, and copies the query with the id only', () => {
  const id = 'de39845b-549e-4dbf-bf52-d5ce85ec331a'
  const named = { ...part, name: 'count_documents', args: { collection: 'workItem', filter: { 'project._id': id } }, output: '{"count":3}', names: { [id]: 'Mobile App' } }
  render(<ToolCard part={named} />)
  const line = screen.getByTestId('tool-line')
  expect(line.textContent).toContain('project = Mobile App')
  expect(line.getAttribute('title')).toBe(`Mobile App: ${id}`)
  fireEvent.click(screen.getByRole('button', { expanded: false }))
  const query = screen.getByLabelText('Query')
  expect(query.textContent).toContain(`"project._id": "${id}" (Mobile App)`)
  expect(query.querySelector('.tool-id')?.getAttribute('title')).toBe('Mobile App')
})
