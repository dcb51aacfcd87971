import { useId, useState } from 'react'
import type { Part } from '../chatReducer'
import { namedIds, shellQuery, toolLine, type IdNames } from '../toolSummary'
import { CopyButton } from './CopyButton'

type ToolPart = Extract<Part, { kind: 'tool' }>

// The first rows of a result, for a glance at what came back.
function firstRows(output: string | undefined): Record<string, unknown>[] {
  try {
    const o = JSON.parse(output ?? '')
    const list = [o?.documents, o?.results, o?.values].find(Array.isArray) as unknown[] | undefined
    return (list ?? []).slice(0, 3).map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : { value: x }))
  } catch {
    return []
  }
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object') {
    const name = (v as Record<string, unknown>).name
    return typeof name === 'string' ? name : JSON.stringify(v)
  }
  return String(v)
}

// Collapsed to one line so the answer is not pushed down; expands to the query and its output.
export function ToolCard({ part }: { part: ToolPart }) {
  const [open, setOpen] = useState(false)
  const bodyId = useId()
  const running = part.state === 'running'
  const line = toolLine({ name: part.name, args: part.args, output: part.output, elapsedMs: part.elapsedMs, running, names: part.names })
  return (
    <section className={`tool-card ${part.ok === false ? 'tool-failed' : ''}`} aria-label={`Tool call ${part.name}`} data-testid="tool-card">
      <header>
        <button type="button" className="tool-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
          {running ? <span className="spinner" role="img" aria-label="running" /> : <span aria-hidden="true">{part.ok === false ? '⚠' : '✓'}</span>}
          <span className="tool-line" data-testid="tool-line" title={idsTitle(part.names)}>
            {line}
          </span>
          <span className="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
        <CopyButton label="Copy query" text={() => shellQuery(part.name, part.args)} />
      </header>
      {open && <ToolDetails id={bodyId} part={part} />}
    </section>
  )
}

function ToolDetails({ id, part }: { id: string; part: ToolPart }) {
  const rows = firstRows(part.output)
  // A document's _id is noise; an aggregation's _id is its group key.
  const columns = Array.from(new Set(rows.flatMap((r) => Object.keys(r))))
    .filter((c) => c !== '_id' || part.name === 'aggregate')
    .slice(0, 4)
  return (
    <div id={id} className="tool-details">
      <pre className="tool-args" aria-label="Query">
        <NamedQuery text={JSON.stringify(part.args, null, 2)} names={part.names} />
      </pre>
      {columns.length > 0 && (
        <div className="table-scroll">
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
        </div>
      )}
      {part.output && (
        <details>
          <summary>Full output</summary>
          <pre className="tool-output">{prettyJson(part.output)}</pre>
        </details>
      )}
    </div>
  )
}

// The ids the one-line summary shows by name, for a tooltip: "Mobile App: de39845b-…".
function idsTitle(names: IdNames | undefined): string | undefined {
  const entries = Object.entries(names ?? {})
  return entries.length ? entries.map(([id, name]) => `${name}: ${id}`).join('\n') : undefined
}

// The query as it runs, each named id followed by its name (the copied query has ids only).
function NamedQuery({ text, names }: { text: string; names: IdNames | undefined }) {
  return namedIds(text, names).map((p, i) =>
    typeof p === 'string' ? (
      p
    ) : (
      <span key={i} className="tool-id" title={p.name}>
        {`"${p.id}"`}
        <span className="tool-id-name">{` (${p.name})`}</span>
      </span>
    ),
  )
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
