import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../chatReducer'
import { mergeEntities, readEntities, type Entity } from '../entities'
import { Markdown } from './Markdown'
import { Message } from './Message'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const answer = (text: string, entities: Entity[]): ChatMessage => ({ role: 'assistant', id: 'a1', state: 'done', parts: [{ kind: 'text', text }], entities })

it('links a work item to the PMS when the server gave its url, in text and in tables', () => {
  const url = 'https://pms.example.com/PRO/PRO-1-5'
  render(<Markdown text={'**PRO-1-5** is open.\n\n| Number | Title |\n| --- | --- |\n| PRO-1-5 | Fix cranes |'} entities={[{ text: 'PRO-1-5', kind: 'workItem', id: 'w1', url }]} />)
  const links = screen.getAllByRole('link', { name: 'PRO-1-5' })
  expect(links).toHaveLength(2)
  for (const a of links) {
    expect(a.getAttribute('href')).toBe(url)
    expect(a.getAttribute('rel')).toContain('noopener')
  }
})

it('links whole words only, and never inside code', () => {
  render(<Markdown text={'PRO-1-50, PRO-1-5x and `PRO-1-5`; PROS. PRO-1-5!'} entities={[{ text: 'PRO-1-5', kind: 'workItem', id: 'w1', url: 'https://x/1' }, { text: 'PRO', kind: 'project', id: 'p1', url: 'https://x/p' }]} />)
  expect(screen.getAllByRole('link').map((a) => a.textContent)).toEqual(['PRO-1-5'])
})

it('a shared name is linked in each row to the thing that row names', () => {
  const text = '| Title | Project |\n| --- | --- |\n| Sprint 1 | River Freight |\n| Sprint 1 | Harbour Ops |\n\nSprint 1 is in both.'
  const entities: Entity[] = [
    { text: 'Sprint 1', kind: 'cycle', id: 'c2', with: 'River Freight', url: 'https://x/c2' },
    { text: 'Sprint 1', kind: 'cycle', id: 'c1', with: 'Harbour Ops', url: 'https://x/c1' },
  ]
  render(<Markdown text={text} entities={entities} />)
  expect(screen.getAllByRole('link', { name: 'Sprint 1' }).map((a) => a.getAttribute('href'))).toEqual(['https://x/c2', 'https://x/c1'])
})

it('reads only well-formed entities with http(s) urls, and merges pages once each', () => {
  const read = readEntities([{ text: 'A-1', kind: 'workItem', id: '1', url: 'javascript:alert(1)' }, { text: '', kind: 'x', id: '2' }, 'junk'])
  expect(read).toEqual([{ text: 'A-1', kind: 'workItem', id: '1' }])
  expect(mergeEntities(read, [{ text: 'A-1', kind: 'workItem', id: '1' }, { text: 'B', kind: 'project', id: 'p' }])).toHaveLength(2)
})

it('without a url, a name opens the detail panel, which closes on Escape and gives focus back', async () => {
  const fetched = vi.fn(async (url: string) => {
    expect(url).toBe('/api/entities/workItem/w1')
    return new Response(JSON.stringify({ kind: 'workItem', title: 'Fix cranes', number: 'PRO-1-5', fields: [{ label: 'Project', values: [{ text: 'Harbour Ops', entity: { kind: 'project', id: 'p1' } }] }] }))
  })
  vi.stubGlobal('fetch', fetched)
  render(<Message message={answer('PRO-1-5 is open.', [{ text: 'PRO-1-5', kind: 'workItem', id: 'w1' }])} />)
  const opener = screen.getByRole('button', { name: 'PRO-1-5' })
  opener.focus()
  fireEvent.click(opener)
  const dialog = await screen.findByRole('dialog', { name: 'Fix cranes' })
  expect(within(dialog).getByText('Project')).toBeTruthy()
  expect(within(dialog).getByRole('button', { name: 'Harbour Ops' })).toBeTruthy()
  expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }))
  fireEvent.keyDown(document, { key: 'Escape' })
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  expect(document.activeElement).toBe(opener)
})

it('says why a thing cannot be shown', async () => {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'not_found', message: "no cycle with id 'c9'" } }), { status: 404 }))
  render(<Message message={answer('Sprint 9 ended.', [{ text: 'Sprint 9', kind: 'cycle', id: 'c9' }])} />)
  fireEvent.click(screen.getByRole('button', { name: 'Sprint 9' }))
  expect((await screen.findByRole('alert')).textContent).toContain("no cycle with id 'c9'")
})
