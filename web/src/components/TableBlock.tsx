import { useRef, type ComponentProps } from 'react'
import { downloadText, fileNameFor } from '../download'
import { useOverflow } from '../hooks/useOverflow'
import { readTable, toCsv, toMarkdown } from '../tableExport'
import { CopyButton } from './CopyButton'

// A table of an answer: scrolls sideways inside its bubble (with a cue when it does), and can be
// copied as Markdown or downloaded as CSV. Excel reads UTF-8 CSV only with a byte order mark.
export function TableBlock(props: ComponentProps<'table'>) {
  const scroller = useRef<HTMLDivElement>(null)
  const wide = useOverflow(scroller)
  const data = () => readTable(scroller.current!.querySelector('table')!)
  return (
    <div className="table-block" data-testid="answer-table">
      <div className="table-actions">
        {wide && <span className="scroll-cue muted small" data-testid="scroll-cue">Scroll sideways ⇆</span>}
        <CopyButton label="Copy" text={() => toMarkdown(data())} />
        <button
          type="button"
          className="action"
          onClick={() => {
            const t = data()
            downloadText(fileNameFor(t.header, 'csv'), '\uFEFF' + toCsv(t), 'text/csv;charset=utf-8')
          }}
        >
          Download CSV
        </button>
      </div>
      <div className={`table-scroll ${wide ? 'is-wide' : ''}`} ref={scroller} tabIndex={wide ? 0 : undefined} role={wide ? 'region' : undefined} aria-label={wide ? 'Table, scrolls sideways' : undefined}>
        <table {...props} />
      </div>
    </div>
  )
}
