import { cleanup, fireEvent, render } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { useFollowBottom } from './useFollowBottom'

// jsdom lays nothing out and has no ResizeObserver: the list's heights are set by hand and the
// observer is a stand-in the test triggers, as the browser does when a child grows.
let resized: (() => void) | undefined
const observed: Element[] = []
beforeEach(() => {
  observed.length = 0
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(cb: () => void) {
        resized = cb
      }
      observe(el: Element) {
        observed.push(el)
      }
      disconnect() {}
    },
  )
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

function List({ asked }: { asked?: string }) {
  const ref = useFollowBottom<HTMLDivElement>(asked)
  return (
    <div data-testid="list" ref={ref}>
      <p>answer</p>
    </div>
  )
}

function layout(el: HTMLElement, scrollHeight: number) {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, value: scrollHeight })
  Object.defineProperty(el, 'clientHeight', { configurable: true, value: 200 })
}

it('stays at the bottom when a child grows after rendering, while the reader is there', () => {
  const { getByTestId } = render(<List />)
  const list = getByTestId('list')
  expect(observed).toContain(list.firstElementChild)
  layout(list, 1000)
  list.scrollTop = 800
  fireEvent.scroll(list)
  layout(list, 1400) // a chart drew
  resized?.()
  expect(list.scrollTop).toBe(1400)
})

it('leaves the reader where they scrolled up to, until they ask again', () => {
  const { getByTestId, rerender } = render(<List asked="q1" />)
  const list = getByTestId('list')
  layout(list, 1000)
  list.scrollTop = 100
  fireEvent.scroll(list)
  layout(list, 1400)
  resized?.()
  expect(list.scrollTop).toBe(100)
  rerender(<List asked="q1" />)
  expect(list.scrollTop).toBe(100)
  rerender(<List asked="q2" />)
  expect(list.scrollTop).toBe(1400)
})
