// A tool call in one readable line ("count_documents · workItem · state not in COMPLETED,
// CANCELLED, project = Mobile App · 30 · 0.3 ms") and as a query a user can paste back. Pure.
// Ids are shown by the names the server resolved them to (tool_start.names); the query copied
// keeps the ids, since that is what runs.

type Obj = Record<string, unknown>
export type IdNames = Record<string, string>
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// An id reads as its name when known; an unknown UUID is shortened: its first block is enough to
// tell two apart in one line.
function value(v: unknown, names: IdNames): string {
  if (typeof v === 'string') return Object.hasOwn(names, v) ? names[v] : UUID.test(v) ? `${v.slice(0, 8)}…` : v
  if (Array.isArray(v)) {
    // Ids of one name (each project's "Sprint 12") read once, with how many.
    const counts = new Map<string, number>()
    for (const x of v) {
      const shown = value(x, names)
      counts.set(shown, (counts.get(shown) ?? 0) + 1)
    }
    const items = [...counts].map(([shown, n]) => (n > 1 ? `${shown} ×${n}` : shown))
    return items.length > 3 ? `${items.slice(0, 3).join(', ')} +${items.length - 3}` : items.join(', ')
  }
  if (isObj(v)) return JSON.stringify(v).slice(0, 40)
  return String(v)
}

const OPS: Record<string, string> = {
  $eq: '=', $ne: '≠', $gt: '>', $gte: '≥', $lt: '<', $lte: '≤', $in: 'in', $nin: 'not in', $regex: '~', $exists: 'exists',
}

// "stateMaster.name" reads as "state"; "project._id" as "project".
function fieldName(path: string): string {
  const parts = path.split('.').filter((p) => p !== '_id' && p !== 'name')
  const head = parts.join('.') || path
  return head.replace(/Master$/, '')
}

function condition(field: string, cond: unknown, names: IdNames): string[] {
  if (field === '$and' && Array.isArray(cond)) return cond.flatMap((c) => (isObj(c) ? conditions(c, names) : []))
  if (field === '$or' && Array.isArray(cond)) return [cond.map((c) => (isObj(c) ? conditions(c, names).join(' and ') : '')).join(' or ')]
  const name = fieldName(field)
  if (isObj(cond) && Object.keys(cond).some((k) => k.startsWith('$')))
    return Object.entries(cond)
      .filter(([op]) => op !== '$options')
      .map(([op, v]) => `${name} ${OPS[op] ?? op} ${value(v, names)}`)
  return [`${name} = ${value(cond, names)}`]
}

function conditions(filter: Obj, names: IdNames): string[] {
  return Object.entries(filter).flatMap(([k, v]) => condition(k, v, names))
}

// The filter of a query, in short; "" when it has none.
export function shortFilter(args: unknown, names: IdNames = {}): string {
  if (!isObj(args)) return ''
  const parts: string[] = []
  if (isObj(args.filter)) parts.push(...conditions(args.filter, names))
  if (Array.isArray(args.pipeline)) {
    for (const stage of args.pipeline) {
      if (!isObj(stage)) continue
      if (isObj(stage.$match)) parts.push(...conditions(stage.$match, names))
      if (isObj(stage.$group)) {
        const id = stage.$group._id
        const keys = typeof id === 'string' ? [id] : isObj(id) ? Object.values(id).filter((x) => typeof x === 'string') : []
        if (keys.length) parts.push(`by ${keys.map((k) => fieldName(String(k).replace(/^\$/, ''))).join(', ')}`)
      }
    }
  }
  if (typeof args.field === 'string') parts.push(`values of ${args.field}`)
  return parts.join(', ')
}

// What came back, in short: a count, a number of rows, or the error.
export function shortResult(output: string | undefined): string {
  if (!output) return ''
  let v: unknown
  try {
    v = JSON.parse(output)
  } catch {
    return output.slice(0, 60)
  }
  if (!isObj(v)) return String(v)
  if (typeof v.error === 'string') return v.error
  if (typeof v.count === 'number' && !Array.isArray(v.values)) return String(v.count)
  const list = [v.documents, v.results, v.collections, v.values, v.fields].find(Array.isArray)
  if (list) return `${list.length} ${list.length === 1 ? 'row' : 'rows'}${v.more ? '+' : ''}`
  return ''
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return ''
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

export interface ToolCallView {
  name: string
  args: unknown
  output?: string
  elapsedMs?: number
  running: boolean
  names?: IdNames
}

export function toolLine(t: ToolCallView): string {
  const collection = isObj(t.args) && typeof t.args.collection === 'string' ? t.args.collection : ''
  const tail = t.running ? ['running…'] : [shortResult(t.output), formatMs(t.elapsedMs)]
  return [t.name, collection, shortFilter(t.args, t.names), ...tail].filter(Boolean).join(' · ')
}

// The call as a MongoDB shell query (which the chat also runs when typed); other tools as JSON.
export function shellQuery(name: string, args: unknown): string {
  const j = (v: unknown) => JSON.stringify(v ?? {})
  if (!isObj(args) || typeof args.collection !== 'string') return JSON.stringify(args, null, 2)
  const coll = `db.${args.collection}`
  switch (name) {
    case 'count_documents':
      return `${coll}.countDocuments(${j(args.filter)})`
    case 'aggregate':
      return `${coll}.aggregate(${JSON.stringify(args.pipeline ?? [])})`
    case 'distinct_values':
      return `${coll}.distinct(${JSON.stringify(args.field)}, ${j(args.filter)})`
    case 'find_documents': {
      let q = `${coll}.find(${j(args.filter)}${args.projection ? `, ${j(args.projection)}` : ''})`
      if (args.sort) q += `.sort(${j(args.sort)})`
      if (typeof args.skip === 'number') q += `.skip(${args.skip})`
      if (typeof args.limit === 'number') q += `.limit(${args.limit})`
      return q
    }
    default:
      return JSON.stringify(args, null, 2)
  }
}

// A query's text cut around each quoted id that has a name, so each can be shown with it.
export type QueryPiece = string | { id: string; name: string }
export function namedIds(text: string, names: IdNames | undefined): QueryPiece[] {
  const ids = Object.keys(names ?? {}).filter(Boolean)
  if (!names || ids.length === 0) return [text]
  const quoted = new RegExp(`"(${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})"`, 'g')
  const pieces: QueryPiece[] = []
  let at = 0
  for (const m of text.matchAll(quoted)) {
    pieces.push(text.slice(at, m.index), { id: m[1], name: names[m[1]] })
    at = m.index + m[0].length
  }
  pieces.push(text.slice(at))
  return pieces.filter((p) => p !== '')
}
