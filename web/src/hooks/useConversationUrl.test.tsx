import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { useConversationUrl } from './useConversationUrl'

function Harness(p: { id: string | null; saved?: boolean; navigate: (id: string | null) => Promise<boolean> }) {
  useConversationUrl(p.id, p.saved ?? p.id !== null, p.navigate)
  return null
}

beforeEach(() => history.replaceState(null, '', '/'))
afterEach(cleanup)

it('opens the conversation the address names on load', async () => {
  history.replaceState(null, '', '/c/abc')
  const navigate = vi.fn().mockResolvedValue(true)
  render(<Harness id={null} navigate={navigate} />)
  expect(navigate).toHaveBeenCalledWith('abc')
  await Promise.resolve()
  expect(location.pathname).toBe('/c/abc') // not reset to / while it loads
})

it('goes back to / when the named conversation cannot be opened', async () => {
  history.replaceState(null, '', '/c/gone?x=1')
  render(<Harness id={null} navigate={() => Promise.resolve(false)} />)
  await waitFor(() => expect(location.pathname).toBe('/'))
  expect(location.search).toBe('?x=1')
})

it('gives a new conversation its address in place, and adds an entry for each one opened', async () => {
  const navigate = vi.fn().mockResolvedValue(true)
  const start = history.length
  const { rerender } = render(<Harness id={null} navigate={navigate} />)
  expect(navigate).not.toHaveBeenCalled()
  rerender(<Harness id="new1" saved={false} navigate={navigate} />) // its first question was accepted
  expect(location.pathname).toBe('/')
  rerender(<Harness id="new1" navigate={navigate} />) // and answered
  expect(location.pathname).toBe('/c/new1')
  expect(history.length).toBe(start)
  rerender(<Harness id="other" navigate={navigate} />)
  expect(location.pathname).toBe('/c/other')
  expect(history.length).toBe(start + 1)
  rerender(<Harness id={null} navigate={navigate} />)
  expect(location.pathname).toBe('/')
  history.back()
  await waitFor(() => expect(navigate).toHaveBeenLastCalledWith('other'))
})

it('keeps / for a new conversation whose first question failed with nothing saved', () => {
  const navigate = vi.fn().mockResolvedValue(true)
  const { rerender } = render(<Harness id="other" navigate={navigate} />)
  rerender(<Harness id={null} navigate={navigate} />) // New chat
  expect(location.pathname).toBe('/')
  const start = history.length
  rerender(<Harness id="new2" saved={false} navigate={navigate} />) // its first turn ended in an error
  expect(location.pathname).toBe('/')
  rerender(<Harness id="new2" navigate={navigate} />) // asked again, and this time answered
  expect(location.pathname).toBe('/c/new2')
  expect(history.length).toBe(start) // in place of the / it started from
})
