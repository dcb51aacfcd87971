// An answer's chart spec (complete.chart, docs/protocol.md) read and turned into what the chart
// components draw: rows keyed by series, axis labels and the colours of the page's scheme. Pure.
export type ChartType = 'bar' | 'hbar' | 'pie' | 'line' | 'stacked_bar'
const CHART_TYPES: readonly ChartType[] = ['bar', 'hbar', 'pie', 'line', 'stacked_bar']

export interface ChartSpec {
  type: ChartType
  title: string
  x_label: string
  y_label: string
  data: { x: string; y: number; series?: string }[]
  alt: string
}

export type ColorScheme = 'light' | 'dark'

// Colours readable on each scheme's panel (--panel in styles.css); series take them in order.
const THEMES = {
  light: { text: '#1b1d23', muted: '#6b7080', grid: '#e3e5ea', panel: '#ffffff', palette: ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#2563eb', '#65a30d', '#9333ea', '#dc2626'] },
  dark: { text: '#e7e9ee', muted: '#9aa0ad', grid: '#2a2f3a', panel: '#181b22', palette: ['#818cf8', '#2dd4bf', '#fbbf24', '#f472b6', '#60a5fa', '#a3e635', '#c084fc', '#f87171'] },
}
export type ChartTheme = (typeof THEMES)[ColorScheme]

// The value of one row: x is the category or period, the rest are one value per series.
export type ChartRow = { x: string } & Record<string, string | number>

export interface ChartModel {
  type: ChartType
  title: string
  xLabel: string
  yLabel: string
  alt: string
  rows: ChartRow[]
  series: { key: string; name: string; color: string }[] // one for all but stacked bars
  theme: ChartTheme
}

const text = (v: unknown): v is string => typeof v === 'string'

// The spec if it is one this client can draw, else undefined (an unknown or malformed chart is
// not drawn; the table still is).
export function parseChart(v: unknown): ChartSpec | undefined {
  if (!v || typeof v !== 'object') return undefined
  const c = v as Record<string, unknown>
  if (!CHART_TYPES.includes(c.type as ChartType) || !Array.isArray(c.data) || c.data.length === 0) return undefined
  const points = c.data.every(
    (d) => d && typeof d === 'object' && text(d.x) && typeof d.y === 'number' && Number.isFinite(d.y) && (d.series === undefined || text(d.series)),
  )
  if (!points) return undefined
  if (c.type === 'stacked_bar' && !c.data.every((d) => text(d.series))) return undefined
  const label = (k: string) => (text(c[k]) ? (c[k] as string) : '')
  return { type: c.type as ChartType, title: label('title'), x_label: label('x_label'), y_label: label('y_label'), data: c.data as ChartSpec['data'], alt: label('alt') || label('title') }
}

export function chartModel(spec: ChartSpec, scheme: ColorScheme): ChartModel {
  const theme = THEMES[scheme]
  const color = (i: number) => theme.palette[i % theme.palette.length]
  const base = { type: spec.type, title: spec.title, xLabel: spec.x_label, yLabel: spec.y_label, alt: spec.alt, theme }
  if (spec.type !== 'stacked_bar') {
    const rows = spec.data.map((d, i) => ({ x: d.x, y: d.y, fill: spec.type === 'pie' ? color(i) : color(0) }))
    return { ...base, rows, series: [{ key: 'y', name: spec.y_label || 'Value', color: color(0) }] }
  }
  // One row per period, in the order periods first come; one key per series.
  const names: string[] = []
  const byX = new Map<string, ChartRow>()
  for (const d of spec.data) {
    const name = d.series!
    if (!names.includes(name)) names.push(name)
    const row = byX.get(d.x) ?? { x: d.x }
    row[`s${names.indexOf(name)}`] = d.y
    byX.set(d.x, row)
  }
  return { ...base, rows: [...byX.values()], series: names.map((name, i) => ({ key: `s${i}`, name, color: color(i) })) }
}
