import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import { useSuggestions } from './useSuggestions'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const overviews: Record<string, object> = {
  '/api/overview': { projects: ['Fleet Tracker', 'Payments'], states: [], priorities: [], members: [] },
  '/api/overview?project=p%2F1': { projects: ['Fleet Tracker'], states: [], priorities: [], members: [] },
}
let seen: string[] = []
const ignore = () => {} // stable, as App's is: a new one each render would read the overview again
function Harness(p: { project: string }) {
  seen = useSuggestions(p.project, ignore)
  return null
}

it('asks for the overview of the chosen project alone, and again for all when the scope widens', async () => {
  const fetch = vi.fn(async (url: string) => new Response(JSON.stringify(overviews[url])))
  vi.stubGlobal('fetch', fetch)
  const { rerender } = render(<Harness project="p/1" />)
  await waitFor(() => expect(seen).toContain('Break down the work items in Fleet Tracker by state'))
  expect(seen.join(' ')).not.toMatch(/Payments|Which project/)
  rerender(<Harness project="" />)
  await waitFor(() => expect(seen).toContain('Which project has the most work items?'))
  expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/overview?project=p%2F1', '/api/overview'])
})

it('drops the answer for a scope left before it came', async () => {
  let release: (r: Response) => void = () => {}
  vi.stubGlobal('fetch', (url: string) =>
    url === '/api/overview' ? new Promise<Response>((ok) => (release = ok)) : Promise.resolve(new Response(JSON.stringify(overviews[url]))),
  )
  const { rerender } = render(<Harness project="" />)
  rerender(<Harness project="p/1" />)
  await waitFor(() => expect(seen).toContain('Break down the work items in Fleet Tracker by state'))
  release(new Response(JSON.stringify(overviews['/api/overview'])))
  await new Promise((r) => setTimeout(r, 10))
  expect(seen.join(' ')).not.toMatch(/Payments/)
})

it('shows none when the overview cannot be read', async () => {
  const onApiError = vi.fn()
  vi.stubGlobal('fetch', async () => new Response('{}', { status: 400 }))
  function Failing() {
    seen = useSuggestions('gone', onApiError)
    return null
  }
  render(<Failing />)
  await waitFor(() => expect(onApiError).toHaveBeenCalled())
  expect(seen).toEqual([])
})
