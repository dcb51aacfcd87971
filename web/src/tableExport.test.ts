import { describe, expect, it } from 'vitest'
import { csvCell, readTable, toCsv, toMarkdown } from './tableExport'

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and only those', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('cr\r')).toBe('"cr\r"')
    expect(csvCell('')).toBe('')
  })

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`)
    expect(csvCell('+cmd')).toBe(`"'+cmd"`)
    expect(csvCell('-2+3')).toBe(`"'-2+3"`)
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`)
    expect(csvCell('\t=x')).toBe(`"'\t=x"`)
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
  })

  it('leaves numbers, including negative ones, as numbers', () => {
    expect(csvCell('-5')).toBe('-5')
    expect(csvCell('+3.25')).toBe('+3.25')
    expect(csvCell('1e-3')).toBe('1e-3')
  })

  it('writes the header and each row on CRLF lines', () => {
    expect(toCsv({ header: ['State', 'Count'], rows: [['In Progress', '3'], ['Done, mostly', '10']] })).toBe(
      'State,Count\r\nIn Progress,3\r\n"Done, mostly",10\r\n',
    )
  })
})

describe('Markdown', () => {
  it('writes a GFM table with pipes escaped', () => {
    expect(toMarkdown({ header: ['A', 'B'], rows: [['x|y', '1']] })).toBe('| A | B |\n| --- | --- |\n| x\\|y | 1 |\n')
  })
})

describe('readTable', () => {
  it('reads the header and body cells of a rendered table', () => {
    const div = document.createElement('div')
    div.innerHTML = '<table><thead><tr><th>Priority</th><th>Work items</th></tr></thead><tbody><tr><td> HIGH </td><td>41</td></tr><tr><td><strong>LOW</strong></td><td>3</td></tr></tbody></table>'
    expect(readTable(div.querySelector('table')!)).toEqual({ header: ['Priority', 'Work items'], rows: [['HIGH', '41'], ['LOW', '3']] })
  })
})
