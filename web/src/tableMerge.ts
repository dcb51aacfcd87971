// Adds the rows of a later page of a list answer to the table the answer already shows, in its
// Markdown, so one table grows in place. Pure. Tables are GFM pipe tables written one row a line,
// as the planner writes them; an answer's list is its last table.

interface TableSpan {
  header: string[]
  bodyStart: number // line index of the first row
  bodyEnd: number // one past the last row
}

const DELIMITER = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$/

// A row's cells: split on pipes that are not escaped, without the outer pipes' empty ends.
function cells(line: string): string[] {
  const parts = line.trim().split(/(?<!\\)\|/)
  if (parts[0].trim() === '') parts.shift()
  if (parts.length && parts[parts.length - 1].trim() === '') parts.pop()
  return parts.map((c) => c.trim())
}

const isRow = (line: string) => line.trim().startsWith('|')

function lastTable(lines: string[]): TableSpan | null {
  for (let i = lines.length - 2; i >= 0; --i) {
    if (!isRow(lines[i]) || !DELIMITER.test(lines[i + 1].trim())) continue
    let end = i + 2
    while (end < lines.length && isRow(lines[end])) ++end
    return { header: cells(lines[i]), bodyStart: i + 2, bodyEnd: end }
  }
  return null
}

// How many rows the last table of `text` has (0 without one).
export function tableRowCount(text: string): number {
  const t = lastTable(text.split('\n'))
  return t ? t.bodyEnd - t.bodyStart : 0
}

// `base` with the rows of `page`'s last table after the first `keep` rows of its own last table
// (all of them when undefined), and what follows the table taken from `page`: that is where an
// answer says how many rows are left, which the newer page knows. Null when either has no table,
// their columns differ, or `keep` is more rows than `base` has: then the rows cannot be put together.
export function mergeTableRows(base: string, page: string, keep?: number): { text: string; rows: number } | null {
  const baseLines = base.split('\n')
  const pageLines = page.split('\n')
  const to = lastTable(baseLines)
  const from = lastTable(pageLines)
  if (!to || !from || to.header.join('\u0000') !== from.header.join('\u0000')) return null
  const have = to.bodyEnd - to.bodyStart
  const kept = keep ?? have
  if (kept < 0 || kept > have) return null
  const added = pageLines.slice(from.bodyStart, from.bodyEnd)
  const lines = [...baseLines.slice(0, to.bodyStart + kept), ...added, ...pageLines.slice(from.bodyEnd)]
  return { text: lines.join('\n'), rows: kept + added.length }
}
