import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { chartModel, type ChartModel, type ChartSpec } from '../chart'
import { useColorScheme } from '../hooks/useColorScheme'

// An answer's chart, drawn above its table (which stays: the chart is for looking, the table for
// reading). The picture is one image whose text alternative is the spec's `alt`; the title is
// shown. Specs are read (parseChart) when the answer arrives: one this client cannot draw is dropped.
export function AnswerChart({ spec }: { spec: ChartSpec }) {
  const model = chartModel(spec, useColorScheme())
  return (
    <figure className="answer-chart" data-testid="answer-chart" data-chart-type={model.type}>
      {model.title && <figcaption className="answer-chart-title">{model.title}</figcaption>}
      <div role="img" aria-label={model.alt} style={{ height: chartHeight(model) }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: chartHeight(model) }}>
          {drawing(model)}
        </ResponsiveContainer>
      </div>
    </figure>
  )
}

// Legends list the series in the server's order (largest first). Horizontal bars get a row each, so long lists stay readable on a phone.
function chartHeight(m: ChartModel): number {
  return m.type === 'hbar' ? Math.max(160, m.rows.length * 26 + 50) : 240
}

const short = (s: string) => (s.length > 14 ? s.slice(0, 13) + '…' : s)

function drawing(m: ChartModel) {
  const { theme } = m
  const tick = { fill: theme.muted, fontSize: 12 }
  const tooltip = (
    <Tooltip cursor={{ fill: theme.grid, stroke: theme.grid }} contentStyle={{ background: theme.panel, borderColor: theme.grid, color: theme.text }} labelStyle={{ color: theme.text }} />
  )
  const grid = <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
  const margin = { top: 8, right: 12, bottom: 4, left: 0 }
  switch (m.type) {
    case 'pie':
      return (
        <PieChart accessibilityLayer={false}>
          <Pie data={m.rows} dataKey="y" nameKey="x" outerRadius="75%" stroke={theme.panel} isAnimationActive={false}>
            {m.rows.map((r) => (
              <Cell key={r.x} fill={r.fill as string} />
            ))}
          </Pie>
          {tooltip}
          <Legend itemSorter={null} wrapperStyle={{ color: theme.text, fontSize: 12 }} />
        </PieChart>
      )
    case 'line':
      return (
        <LineChart data={m.rows} margin={margin} accessibilityLayer={false}>
          {grid}
          <XAxis dataKey="x" tick={tick} stroke={theme.grid} minTickGap={16} />
          <YAxis tick={tick} stroke={theme.grid} width={36} allowDecimals={false} />
          {tooltip}
          <Line dataKey="y" name={m.series[0].name} stroke={m.series[0].color} strokeWidth={2} dot={{ r: 3, fill: m.series[0].color }} isAnimationActive={false} />
        </LineChart>
      )
    case 'hbar':
      return (
        <BarChart data={m.rows} layout="vertical" margin={margin} accessibilityLayer={false}>
          {grid}
          <XAxis type="number" tick={tick} stroke={theme.grid} allowDecimals={false} />
          <YAxis type="category" dataKey="x" tick={tick} stroke={theme.grid} width={100} interval={0} tickFormatter={short} />
          {tooltip}
          <Bar dataKey="y" name={m.series[0].name} fill={m.series[0].color} isAnimationActive={false} />
        </BarChart>
      )
    case 'bar':
    case 'stacked_bar':
      return (
        <BarChart data={m.rows} margin={margin} accessibilityLayer={false}>
          {grid}
          <XAxis dataKey="x" tick={tick} stroke={theme.grid} tickFormatter={short} />
          <YAxis tick={tick} stroke={theme.grid} width={36} allowDecimals={false} />
          {tooltip}
          {m.series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={m.type === 'stacked_bar' ? 'all' : undefined} isAnimationActive={false} />
          ))}
          {m.type === 'stacked_bar' && <Legend itemSorter={null} wrapperStyle={{ color: theme.text, fontSize: 12 }} />}
        </BarChart>
      )
  }
}
