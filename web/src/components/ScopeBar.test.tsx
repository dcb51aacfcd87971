import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import type { Project } from '../scope'
import { ScopeBar } from './ScopeBar'

afterEach(cleanup)

const fleet: Project = { id: 'p1', short_id: 'FLEET', name: 'Fleet Tracker' }
const projects: Project[] = [{ id: 'p2', short_id: '', name: 'Customer Portal' }, fleet]
const bar = (p: Partial<Parameters<typeof ScopeBar>[0]>) => (
  <ScopeBar projects={projects} project={null} notice={null} onChoose={() => {}} onDismissNotice={() => {}} {...p} />
)

it('offers all projects and each project by name and short id, and says which is chosen', () => {
  const onChoose = vi.fn()
  render(bar({ onChoose }))
  const select = screen.getByRole('combobox', { name: 'Project' }) as HTMLSelectElement
  expect([...select.options].map((o) => o.textContent)).toEqual(['All projects', 'Customer Portal', 'Fleet Tracker · FLEET'])
  expect(select.value).toBe('')
  expect(screen.queryByTestId('scope-chip')).toBeNull()
  fireEvent.change(select, { target: { value: 'p1' } })
  expect(onChoose).toHaveBeenLastCalledWith('p1')
  fireEvent.change(select, { target: { value: '' } })
  expect(onChoose).toHaveBeenLastCalledWith(null)
})

it('shows the chosen project as a chip whose × goes back to all projects and keeps the focus', () => {
  const onChoose = vi.fn()
  render(bar({ project: fleet, onChoose }))
  const select = screen.getByRole('combobox', { name: 'Project' }) as HTMLSelectElement
  expect(select.value).toBe('p1')
  expect(screen.getByTestId('scope-chip').textContent).toMatch(/^Answers only about Fleet Tracker · FLEET×$/)
  fireEvent.click(screen.getByRole('button', { name: /Stop limiting answers to Fleet Tracker/ }))
  expect(onChoose).toHaveBeenCalledWith(null)
  expect(document.activeElement).toBe(select)
})

it('offers a restored project the list does not have (yet)', () => {
  render(bar({ projects: null, project: fleet }))
  const select = screen.getByRole('combobox', { name: 'Project' }) as HTMLSelectElement
  expect([...select.options].map((o) => o.textContent)).toEqual(['All projects', 'Fleet Tracker · FLEET'])
  expect(select.value).toBe('p1')
})

it('shows a notice that can be dismissed', () => {
  const onDismissNotice = vi.fn()
  render(bar({ notice: 'There is no project “NOPE”: answering about all projects.', onDismissNotice }))
  expect(screen.getByRole('alert').textContent).toMatch(/no project “NOPE”/)
  fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
  expect(onDismissNotice).toHaveBeenCalled()
})
