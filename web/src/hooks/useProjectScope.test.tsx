import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import type { ScopeState } from '../scope'
import { useProjectScope } from './useProjectScope'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

let seen: ScopeState | null = null
function Harness() {
  seen = useProjectScope(() => {})[0]
  return null
}

it('opens the project ?project= names once the list loads, and takes it out of the address', async () => {
  const fleet = { id: 'p1', short_id: 'FLEET', name: 'Fleet Tracker' }
  vi.stubGlobal('fetch', async (url: string) => new Response(JSON.stringify(url === '/api/projects' ? { projects: [fleet] } : {})))
  history.replaceState(null, '', '/?x=1&project=fleet')
  render(<Harness />)
  expect(location.search).toBe('?x=1')
  await waitFor(() => expect(seen?.project).toEqual(fleet))
  expect(seen?.projects).toEqual([fleet])
})
