import { describe, expect, it } from 'vitest'
import { mergeTableRows, tableRowCount } from './tableMerge'

const header = '| Number | Title | State |\n| --- | --- | --- |'
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `| MAA-${from + i} | Item \\| ${from + i} | Todo |`).join('\n')
const answer = (intro: string, from: number, to: number, outro = '') => `${intro}\n\n${header}\n${rows(from, to)}\n${outro ? `\n${outro}\n` : ''}`

describe('mergeTableRows', () => {
  it('appends the rows of the next page to the table; the text after it is the newer page\'s', () => {
    const base = answer('**30** work items match. The 10 newest:', 1, 10, '**20** more: say "show more".')
    const merged = mergeTableRows(base, answer('Rows 11–20 of 30:', 11, 20, '**10** more: say "show more".'))
    expect(merged?.rows).toBe(20)
    expect(merged?.text).toBe(answer('**30** work items match. The 10 newest:', 1, 20, '**10** more: say "show more".'))
    expect(tableRowCount(merged!.text)).toBe(20)
    // The last page says nothing is left, so neither does the table.
    expect(mergeTableRows(merged!.text, answer('21 to 30:', 21, 30))?.text).toBe(answer('**30** work items match. The 10 newest:', 1, 30))
  })

  it('keeps only the rows before the page when it starts earlier (show all from the first row)', () => {
    const base = answer('Intro', 1, 20)
    const merged = mergeTableRows(base, answer('All 30:', 1, 30), 0)
    expect(merged).toEqual({ text: answer('Intro', 1, 30), rows: 30 })
    expect(mergeTableRows(base, answer('The rest:', 11, 30), 10)?.text).toBe(answer('Intro', 1, 30))
  })

  it('refuses rows that do not fit: other columns, no table, or a gap before them', () => {
    const base = answer('Intro', 1, 10)
    expect(mergeTableRows(base, '| Number | Title |\n| --- | --- |\n| A | B |\n')).toBeNull()
    expect(mergeTableRows(base, 'I did not understand "more".')).toBeNull()
    expect(mergeTableRows('No table here.', answer('x', 11, 20))).toBeNull()
    expect(mergeTableRows(base, answer('x', 21, 30), 20)).toBeNull()
  })

  it('reads the last table of an answer, also with aligned columns', () => {
    const two = `| A | B |\n| - | - |\n| 1 | 2 |\n\nThe list:\n\n${header}\n${rows(1, 2)}\n`
    expect(tableRowCount(two)).toBe(2)
    expect(mergeTableRows(two, answer('', 3, 3))?.text).toBe(`| A | B |\n| - | - |\n| 1 | 2 |\n\nThe list:\n\n${header}\n${rows(1, 3)}\n`)
    expect(tableRowCount('|x|y|\n|:--|--:|\n|1|2|')).toBe(1)
    expect(tableRowCount('no table')).toBe(0)
  })
})
