import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, it } from 'vitest'
import { useDrawer } from './useDrawer'

afterEach(cleanup)

function Harness() {
  const d = useDrawer()
  return (
    <div>
      <button ref={d.buttonRef} aria-expanded={d.open} onClick={d.toggle}>
        Menu
      </button>
      <nav ref={d.drawerRef} hidden={!d.open}>
        <button>New</button>
      </nav>
      <p>Outside</p>
    </div>
  )
}

const menu = () => screen.getByRole('button', { name: 'Menu' })

it('opens with its button, moves focus in, and closes on Escape with focus back on the button', () => {
  render(<Harness />)
  fireEvent.click(menu())
  expect(menu().getAttribute('aria-expanded')).toBe('true')
  expect(document.activeElement?.textContent).toBe('New')
  act(() => {
    fireEvent.keyDown(document, { key: 'Escape' })
  })
  expect(menu().getAttribute('aria-expanded')).toBe('false')
  expect(document.activeElement).toBe(menu())
})

it('closes on a tap outside, not on one inside', () => {
  render(<Harness />)
  fireEvent.click(menu())
  fireEvent.click(screen.getByText('New'))
  expect(menu().getAttribute('aria-expanded')).toBe('true')
  fireEvent.click(screen.getByText('Outside'))
  expect(menu().getAttribute('aria-expanded')).toBe('false')
})

it('toggles closed with its own button', () => {
  render(<Harness />)
  fireEvent.click(menu())
  fireEvent.click(menu())
  expect(menu().getAttribute('aria-expanded')).toBe('false')
})
