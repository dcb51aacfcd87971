// The things an answer names (complete.entities, docs/protocol.md#entities) and how its rendered
// Markdown links them: a rehype step that turns each whole-word occurrence of an entity's text
// into a link element, outside code and existing links. A text several things share is linked
// only in a table row holding the entity's `with` cell. Pure.
import type { Element, ElementContent, Root, RootContent, Text } from 'hast'

export interface Entity {
  text: string
  kind: string // the thing's collection: workItem, project, cycle, module, epic, members, ...
  id: string
  url?: string // the PMS's page for it (--item-url-template); else the chat's panel opens it
  with?: string // linked only in a table row that has a cell with this text
}

// complete.entities (or a stored answer's), keeping the well-formed ones; http(s) urls only.
export function readEntities(v: unknown): Entity[] | undefined {
  if (!Array.isArray(v)) return undefined
  const str = (x: unknown) => (typeof x === 'string' && x.length > 0 ? x : undefined)
  const out: Entity[] = []
  for (const e of v) {
    if (!e || typeof e !== 'object') continue
    const r = e as Record<string, unknown>
    const text = str(r.text), kind = str(r.kind), id = str(r.id)
    if (!text || !kind || !id) continue
    const url = str(r.url)
    out.push({ text, kind, id, ...(url && /^https?:\/\//i.test(url) ? { url } : {}), ...(str(r.with) ? { with: r.with as string } : {}) })
  }
  return out.length ? out : undefined
}

// The entities of two pages of one list, once each.
export function mergeEntities(a: Entity[] | undefined, b: Entity[] | undefined): Entity[] | undefined {
  const key = (e: Entity) => [e.text, e.kind, e.id, e.with ?? ''].join('\u0000')
  const seen = new Map<string, Entity>()
  for (const e of [...(a ?? []), ...(b ?? [])]) if (!seen.has(key(e))) seen.set(key(e), e)
  return seen.size ? [...seen.values()] : undefined
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Whole words only, as the server finds them: "MAA2" is not in "MAA2-14", "Ops" not in "Opsx".
function matcher(entities: Entity[]): RegExp | null {
  const texts = [...new Set(entities.map((e) => e.text))].sort((a, b) => b.length - a.length)
  if (!texts.length) return null
  return new RegExp(`(?<![\\p{L}\\p{N}_]|[\\p{L}\\p{N}_][-.'])(?:${texts.map(escape).join('|')})(?![\\p{L}\\p{N}_]|[-.'][\\p{L}\\p{N}_])`, 'gu')
}

function textOf(n: ElementContent | RootContent): string {
  if (n.type === 'text') return n.value
  if (n.type === 'element') return n.children.map(textOf).join('')
  return ''
}

// The entity `text` stands for here: in a row, one whose `with` is a cell of it, else one without `with`.
export function entityFor(entities: Entity[], text: string, rowCells: string[] | null): Entity | undefined {
  const named = entities.filter((e) => e.text === text)
  return (rowCells && named.find((e) => e.with !== undefined && rowCells.includes(e.with))) ?? named.find((e) => e.with === undefined)
}

function link(e: Entity, text: string): Element {
  return {
    type: 'element',
    tagName: 'a',
    properties: { href: e.url ?? '#', dataEntityKind: e.kind, dataEntityId: e.id, ...(e.url ? { dataEntityUrl: e.url } : {}) },
    children: [{ type: 'text', value: text }],
  }
}

function split(t: Text, re: RegExp, entities: Entity[], row: string[] | null): ElementContent[] {
  const out: ElementContent[] = []
  let last = 0
  for (const m of t.value.matchAll(re)) {
    const e = entityFor(entities, m[0], row)
    if (!e) continue
    if (m.index > last) out.push({ type: 'text', value: t.value.slice(last, m.index) })
    out.push(link(e, m[0]))
    last = m.index + m[0].length
  }
  if (last === 0) return [t]
  if (last < t.value.length) out.push({ type: 'text', value: t.value.slice(last) })
  return out
}

const SKIP = new Set(['a', 'code', 'pre', 'button'])

// The rehype plugin: `rehypePlugins={[[linkEntities, entities]]}`.
export function linkEntities(entities: Entity[] | undefined) {
  return (tree: Root) => {
    const re = entities?.length ? matcher(entities) : null
    if (!re || !entities) return
    const walk = (node: Root | Element, row: string[] | null) => {
      const children: (RootContent | ElementContent)[] = []
      for (const c of node.children) {
        if (c.type === 'text') children.push(...split(c, re, entities, row))
        else {
          if (c.type === 'element' && !SKIP.has(c.tagName))
            walk(c, c.tagName === 'tr' ? c.children.filter((x) => x.type === 'element').map((x) => textOf(x).trim()) : row)
          children.push(c)
        }
      }
      node.children = children as typeof node.children
    }
    walk(tree, null)
  }
}
