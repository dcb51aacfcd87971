import type { Part } from '../chatReducer'

type ToolPart = Extract<Part, { kind: 'tool' }>

// What a result holds, for the one-line summary and the small table.
function summarize(output: string | undefined): { line: string; rows: Record<string, unknown>[] } {
  if (!output) return { line: '', rows: [] }
  let v: unknown
  try {
    v = JSON.parse(output)
  } catch {
    return { line: output.slice(0, 80), rows: [] }
  }
  if (!v || typeof v !== 'object') return { line: String(v), rows: [] }
  const o = v as Record<string, unknown>
  if (typeof o.error === 'string') return { line: o.error, rows: [] }
  if (typeof o.count === 'number' && !Array.isArray(o.values)) return { line: `count: ${o.count}`, rows: [] }
  const list = [o.documents, o.results, o.collections, o.values, o.fields].find(Array.isArray) as unknown[] | undefined
  if (list) {
    const rows = list.slice(0, 3).map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : { value: x }))
    return { line: `${list.length} ${list.length === 1 ? 'row' : 'rows'}${o.more ? ' (more available)' : ''}`, rows }
  }
  return { line: Object.keys(o).slice(0, 4).join(', '), rows: [] }
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object') {
    const name = (v as Record<string, unknown>).name
    return typeof name === 'string' ? name : JSON.stringify(v)
  }
  return String(v)
}

export function ToolCard({ part }: { part: ToolPart }) {
  const { line, rows } = summarize(part.output)
  // A document's _id is noise; an aggregation's _id is its group key.
  const columns = Array.from(new Set(rows.flatMap((r) => Object.keys(r))))
    .filter((c) => c !== '_id' || part.name === 'aggregate')
    .slice(0, 4)
  const running = part.state === 'running'
  return (
    <section className={`tool-card ${part.ok === false ? 'tool-failed' : ''}`} aria-label={`Tool call ${part.name}`} data-testid="tool-card">
      <header>
        {running ? <span className="spinner" role="img" aria-label="running" /> : <span aria-hidden="true">{part.ok === false ? '⚠' : '✓'}</span>}
        <code className="tool-name">{part.name}</code>
        {!running && part.elapsedMs !== undefined && <span className="muted">{part.elapsedMs.toFixed(1)} ms</span>}
        {!running && line && <span className="tool-summary">{line}</span>}
      </header>
      <pre className="tool-args">{JSON.stringify(part.args, null, 2)}</pre>
      {rows.length > 0 && columns.length > 0 && (
        <table className="tool-rows">
          <thead>
            <tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>{columns.map((c) => <td key={c}>{cell(r[c])}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
      {!running && part.output && (
        <details>
          <summary>Full output</summary>
          <pre className="tool-output">{prettyJson(part.output)}</pre>
        </details>
      )}
    </section>
  )
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
