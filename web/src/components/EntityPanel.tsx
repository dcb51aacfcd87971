import { createContext, useEffect, useRef, useState } from 'react'
import { AuthRequired, authHeaders } from '../auth'

// A thing to show: what GET /api/entities/<kind>/<id> is asked for, and the text that named it.
export interface EntityRef {
  kind: string
  id: string
  text: string
}

// Opens the panel for a thing (set by the message that shows it; null: nothing opens one).
export const OpenEntity = createContext<((e: EntityRef) => void) | null>(null)

interface EntityValue {
  text: string
  entity?: { kind: string; id: string }
  note?: string
}
interface EntityDetails {
  kind: string
  title: string
  number?: string
  url?: string
  description?: string
  fields: { label: string; values: EntityValue[] }[]
}

const KIND_NAMES: Record<string, string> = {
  workItem: 'Work item',
  project: 'Project',
  cycle: 'Cycle',
  module: 'Module',
  epic: 'Epic',
  features: 'Feature',
  userStory: 'User story',
  members: 'Person',
}

export async function loadEntity(kind: string, id: string, signal?: AbortSignal): Promise<EntityDetails> {
  const r = await fetch(`/api/entities/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`, { headers: authHeaders(), signal })
  if (r.status === 401) throw new AuthRequired()
  const body = await r.json().catch(() => null)
  if (!r.ok) throw new Error(body?.error?.message ?? `HTTP ${r.status}`)
  return body as EntityDetails
}

// The fields of one thing an answer names, over the chat: a modal dialog that closes on Escape, on
// its button and on a tap outside, keeps Tab inside, and gives focus back to what opened it.
export function EntityPanel({ entity, onClose, onOpen }: { entity: EntityRef; onClose: () => void; onOpen: (e: EntityRef) => void }) {
  const [state, setState] = useState<{ data?: EntityDetails; error?: string }>({})
  const dialog = useRef<HTMLDivElement>(null)
  const closeButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const ctl = new AbortController()
    setState({})
    loadEntity(entity.kind, entity.id, ctl.signal).then(
      (data) => setState({ data }),
      (e: unknown) => {
        if (!ctl.signal.aborted) setState({ error: e instanceof Error ? e.message : String(e) })
      },
    )
    return () => ctl.abort()
  }, [entity.kind, entity.id])

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    closeButton.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        onClose()
      } else if (e.key === 'Tab' && dialog.current) {
        const focusable = dialog.current.querySelectorAll<HTMLElement>('button, a[href]')
        const first = focusable[0], last = focusable[focusable.length - 1]
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault()
          last?.focus()
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault()
          first?.focus()
        }
      }
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      opener?.focus()
    }
  }, [onClose])

  const { data, error } = state
  const kindName = KIND_NAMES[entity.kind] ?? entity.kind
  return (
    <div className="entity-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="entity-panel" role="dialog" aria-modal="true" aria-labelledby="entity-panel-title" ref={dialog} data-testid="entity-panel">
        <header>
          <div>
            <div className="muted small">{kindName}{data?.number ? ` · ${data.number}` : ''}</div>
            <h2 id="entity-panel-title">{data?.title || entity.text}</h2>
          </div>
          <button type="button" className="action" ref={closeButton} onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        {!data && !error && <p className="muted">Loading…</p>}
        {error && (
          <p className="error-text" role="alert">
            {entity.text} could not be shown: {error}
          </p>
        )}
        {data && (
          <>
            <dl className="entity-fields">
              {data.fields.map((f) => (
                <div key={f.label}>
                  <dt>{f.label}</dt>
                  <dd>
                    {f.values.map((v, i) => (
                      <span key={i}>
                        {i > 0 && ', '}
                        {v.entity ? (
                          <button type="button" className="entity-link" onClick={() => onOpen({ kind: v.entity!.kind, id: v.entity!.id, text: v.text })}>
                            {v.text}
                          </button>
                        ) : (
                          v.text
                        )}
                        {v.note && <span className="muted small"> ({v.note})</span>}
                      </span>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
            {data.description && <p className="entity-description">{data.description}</p>}
            {data.url && (
              <a className="action" href={data.url} target="_blank" rel="noopener noreferrer">
                Open in the PMS
              </a>
            )}
          </>
        )}
      </div>
    </div>
  )
}
