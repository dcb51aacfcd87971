// A table of an answer as CSV (RFC 4180) and as Markdown, and read back from the page. Pure.
export interface TableData {
  header: string[]
  rows: string[][]
}

// A plain number ("-5", "+3.2") is no formula; anything else starting with one of these characters
// would be run by a spreadsheet, so it gets a leading apostrophe (OWASP, CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/
const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsv(t: TableData): string {
  return [t.header, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

const mdCell = (v: string) => v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')

export function toMarkdown(t: TableData): string {
  const line = (r: string[]) => `| ${r.map(mdCell).join(' | ')} |`
  return [line(t.header), line(t.header.map(() => '---')), ...t.rows.map(line)].join('\n') + '\n'
}

// The cells of a rendered table, as its reader sees them.
export function readTable(table: HTMLTableElement): TableData {
  const text = (row: HTMLTableRowElement) => Array.from(row.cells, (c) => (c.textContent ?? '').trim())
  const rows = Array.from(table.rows)
  const headRow = table.tHead?.rows[0]
  return headRow ? { header: text(headRow), rows: rows.filter((r) => r !== headRow).map(text) } : { header: [], rows: rows.map(text) }
}
