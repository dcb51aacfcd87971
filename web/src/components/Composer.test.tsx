import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import { Composer } from './Composer'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

it('offers the server\'s matches for an @mention and puts the chosen one into the question', async () => {
  vi.useFakeTimers()
  const asked: string[] = []
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url)
    return new Response(JSON.stringify({ matches: [{ kind: 'members', id: 'u1', name: 'Mei Kim', project: 'Ops' }, { kind: 'project', id: 'p', name: 'Meier Labs' }] }))
  })
  const onSend = vi.fn()
  render(<Composer busy={false} stopping={false} onSend={onSend} onStop={() => {}} />)
  const box = screen.getByRole('combobox', { name: 'Your question' }) as HTMLTextAreaElement
  fireEvent.change(box, { target: { value: 'open bugs of @Mei', selectionStart: 17 } })
  await act(async () => {
    await vi.advanceTimersByTimeAsync(200)
  })
  expect(asked).toEqual(['/api/entities?q=Mei'])
  const options = screen.getAllByRole('option')
  expect(options.map((o) => o.textContent)).toEqual(['person Mei Kim · Ops', 'project Meier Labs'])
  fireEvent.keyDown(box, { key: 'ArrowDown' })
  expect(options[1].getAttribute('aria-selected')).toBe('true')
  fireEvent.keyDown(box, { key: 'ArrowUp' })
  fireEvent.keyDown(box, { key: 'Enter' })
  expect(box.value).toBe('open bugs of Mei Kim ')
  expect(screen.queryByRole('listbox')).toBeNull()
  expect(onSend).not.toHaveBeenCalled()
  fireEvent.keyDown(box, { key: 'Enter' })
  expect(onSend).toHaveBeenCalledWith('open bugs of Mei Kim')
})
