import { describe, expect, it } from 'vitest'
import { chartModel, parseChart } from './chart'
import { splitAtTable } from './parts'

const spec = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'bar',
  title: 'Work items by state',
  x_label: 'State',
  y_label: 'Work items',
  data: [
    { x: 'Todo', y: 12 },
    { x: 'In Progress', y: 7 },
    { x: 'Done', y: 30 },
  ],
  alt: 'Work items by state: Done 30, Todo 12, In Progress 7.',
  ...over,
})

describe('parseChart', () => {
  it('reads each chart type the protocol names', () => {
    for (const type of ['bar', 'hbar', 'pie', 'line']) expect(parseChart(spec({ type }))?.type).toBe(type)
    const stacked = parseChart(spec({ type: 'stacked_bar', data: [{ x: '2026-11', y: 3, series: 'HIGH' }] }))
    expect(stacked?.data).toEqual([{ x: '2026-11', y: 3, series: 'HIGH' }])
  })

  it('drops what it cannot draw', () => {
    for (const bad of [
      null,
      'bar',
      [],
      spec({ type: 'radar' }),
      spec({ data: [] }),
      spec({ data: 'a,b' }),
      spec({ data: [{ x: 'a', y: '3' }] }),
      spec({ data: [{ x: 1, y: 3 }] }),
      spec({ data: [{ x: 'a', y: Number.NaN }] }),
      spec({ data: [null] }),
      spec({ data: [{ x: 'a', y: 1, series: 2 }] }),
      spec({ type: 'stacked_bar' }), // stacks need a series per point
    ])
      expect(parseChart(bad)).toBeUndefined()
  })

  it('falls back to the title as the text alternative, and to empty labels', () => {
    const c = parseChart({ type: 'pie', title: 'Bugs by priority', data: [{ x: 'HIGH', y: 2 }] })
    expect(c).toMatchObject({ alt: 'Bugs by priority', x_label: '', y_label: '' })
  })
})

describe('chartModel', () => {
  it('keeps the points in order, with the labels', () => {
    const m = chartModel(parseChart(spec({ type: 'hbar' }))!, 'light')
    expect(m).toMatchObject({ type: 'hbar', title: 'Work items by state', xLabel: 'State', yLabel: 'Work items', alt: expect.stringContaining('Done 30') })
    expect(m.rows.map((r) => [r.x, r.y])).toEqual([['Todo', 12], ['In Progress', 7], ['Done', 30]])
    expect(m.series).toEqual([{ key: 'y', name: 'Work items', color: m.theme.palette[0] }])
  })

  it('gives each slice of a pie its own colour, and bars one colour', () => {
    const pie = chartModel(parseChart(spec({ type: 'pie' }))!, 'light')
    expect(new Set(pie.rows.map((r) => r.fill)).size).toBe(3)
    const bar = chartModel(parseChart(spec())!, 'light')
    expect(new Set(bar.rows.map((r) => r.fill)).size).toBe(1)
  })

  it('stacks: one row per period in order, one key per series, zero where a series has none', () => {
    const data = [
      { x: '2026-10', y: 3, series: 'HIGH' },
      { x: '2026-10', y: 1, series: 'LOW' },
      { x: '2026-11', y: 0, series: 'HIGH' },
      { x: '2026-11', y: 5, series: 'LOW' },
    ]
    const m = chartModel(parseChart(spec({ type: 'stacked_bar', data }))!, 'dark')
    expect(m.series.map((s) => s.name)).toEqual(['HIGH', 'LOW'])
    expect(m.series.map((s) => s.color)).toEqual(m.theme.palette.slice(0, 2))
    expect(m.rows).toEqual([
      { x: '2026-10', s0: 3, s1: 1 },
      { x: '2026-11', s0: 0, s1: 5 },
    ])
  })

  it('themes text, grid and marks for light and dark', () => {
    const light = chartModel(parseChart(spec())!, 'light')
    const dark = chartModel(parseChart(spec())!, 'dark')
    expect(light.theme.text).not.toBe(dark.theme.text)
    expect(light.theme.panel).toBe('#ffffff')
    expect(light.series[0].color).not.toBe(dark.series[0].color)
  })
})

describe('splitAtTable', () => {
  it('cuts an answer before its table, where the chart goes', () => {
    const text = 'Work items by state:\n\n| State | Work items |\n| --- | --- |\n| Todo | 12 |\n'
    expect(splitAtTable(text)).toEqual(['Work items by state:\n\n', '| State | Work items |\n| --- | --- |\n| Todo | 12 |\n'])
    expect(splitAtTable('There are **12** bugs. | not a table |')).toBeNull()
  })
})
