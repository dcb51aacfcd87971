import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import { Markdown } from './Markdown'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

const answer = 'By state:\n\n| State | Count |\n| --- | --- |\n| In Progress, late | 3 |\n| =cmd | 1 |\n'

it('downloads the table of an answer as CSV, with a byte order mark for Excel', async () => {
  let blob: Blob | undefined
  // jsdom has no object URLs.
  URL.createObjectURL = (b) => {
    blob = b as Blob
    return 'blob:x'
  }
  URL.revokeObjectURL = () => {}
  const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    expect(this.download).toBe('state-count.csv')
  })
  render(<Markdown text={answer} />)
  fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }))
  expect(clicked).toHaveBeenCalledOnce()
  // jsdom's Blob has no arrayBuffer(); FileReader reads it.
  const bytes = await new Promise<Uint8Array>((ok) => {
    const r = new FileReader()
    r.onload = () => ok(new Uint8Array(r.result as ArrayBuffer))
    r.readAsArrayBuffer(blob!)
  })
  expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf])
  expect(new TextDecoder().decode(bytes.slice(3))).toBe(`State,Count\r\n"In Progress, late",3\r\n"'=cmd",1\r\n`)
})

it('copies the table as Markdown', async () => {
  const writeText = vi.fn().mockResolvedValue(undefined)
  vi.stubGlobal('navigator', { clipboard: { writeText } })
  vi.stubGlobal('isSecureContext', true)
  render(<Markdown text={answer} />)
  fireEvent.click(screen.getByRole('button', { name: 'Copy' }))
  await waitFor(() => expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy())
  expect(writeText).toHaveBeenCalledWith('| State | Count |\n| --- | --- |\n| In Progress, late | 3 |\n| =cmd | 1 |\n')
})
