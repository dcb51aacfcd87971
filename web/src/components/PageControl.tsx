import { useRef } from 'react'
import { useFocusHandoff } from '../hooks/useFocusHandoff'
import { remainingRows, SHOW_ALL, SHOW_ALL_MAX, type ListPaging } from '../paging'

// Under a list answer with more matching rows than its table shows: Show more (the next page)
// and Show all (when the server gives them all at once). Disabled, not removed, while a turn runs,
// so focus stays on the button; when the last rows came, focus moves to the line saying so.
export function PageControl({ list, onRequest }: { list: ListPaging; onRequest?: (text: string) => void }) {
  const status = useRef<HTMLParagraphElement>(null)
  const remaining = remainingRows(list)
  const container = useFocusHandoff<HTMLDivElement, HTMLParagraphElement>(status, remaining)
  const blocked = !onRequest || list.loading
  const ask = (text: string) => {
    if (!blocked) onRequest(text)
  }
  const nextCount = Math.min(list.pageSize, remaining)
  const shown = list.offset === 0 ? `${list.rows}` : `rows ${list.offset + 1}–${list.offset + list.rows}`
  return (
    <div className="page-control" ref={container} data-testid="page-control">
      <p className="muted small page-status" ref={status} tabIndex={-1}>
        {remaining === 0 ? `All ${list.total} rows are shown.` : `Showing ${shown} of ${list.total}.`}
        {list.loading && ' Loading more rows…'}
      </p>
      {remaining > 0 && (
        <div className="page-actions">
          <button type="button" className="action" aria-disabled={blocked} onClick={() => ask(list.next)}>
            Show {nextCount} more of {remaining} remaining
          </button>
          {list.total <= SHOW_ALL_MAX && remaining > nextCount && (
            <button type="button" className="action" aria-disabled={blocked} onClick={() => ask(SHOW_ALL)}>
              Show all {list.total}
            </button>
          )}
        </div>
      )}
      {list.error && (
        <p className="error-text small" role="alert">
          {list.error}
        </p>
      )}
    </div>
  )
}
