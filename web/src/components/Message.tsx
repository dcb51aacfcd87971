import { Fragment, lazy, Suspense, useState } from 'react'
import type { ChatMessage, Part } from '../chatReducer'
import { splitSuggestions } from '../followUps'
import { lastTextIndex, splitAtTable } from '../parts'
import { errorHint } from '../protocol'
import { projectLabel } from '../scope'
import { AnswerFooter } from './AnswerFooter'
import { CopyButton } from './CopyButton'
import { EntityPanel, OpenEntity, type EntityRef } from './EntityPanel'
import { FollowUps } from './FollowUps'
import { Markdown } from './Markdown'
import { PageControl } from './PageControl'
import { ToolCard } from './ToolCard'

// The charting library is most of the bundle's size: it loads with the first chart.
const AnswerChart = lazy(() => import('./AnswerChart').then((m) => ({ default: m.AnswerChart })))

// latest: the last answer shown, which offers its follow-ups. pager: this answer's table can be
// paged (it is the last answer); onRequest is missing while a turn runs.
export function Message(props: { message: ChatMessage; latest?: boolean; onAsk?: (question: string) => void; pager?: { onRequest?: (text: string) => void } }) {
  const { message, latest, onAsk, pager } = props
  // The thing of this answer whose detail panel is open.
  const [panel, setPanel] = useState<EntityRef | null>(null)
  if (message.role === 'user') {
    return (
      <div className={`msg msg-user status-${message.status}`} data-testid="user-message">
        <div className="bubble">{message.text}</div>
        {message.project && <div className="muted small scope-asked">Only {projectLabel(message.project)}</div>}
        {message.status === 'queued' && <div className="muted small">Waiting for the connection — it will be sent when it is back.</div>}
        {message.status === 'failed' && <div className="error-text small">Not sent.</div>}
      </div>
    )
  }
  const streaming = message.state === 'streaming'
  const empty = message.parts.length === 0
  // A finished refusal's suggested questions become buttons (not while its text still streams).
  const lastText = lastTextIndex(message.parts)
  const split = !streaming && lastText >= 0 ? splitSuggestions((message.parts[lastText] as { text: string }).text) : null
  return (
    <article className="msg msg-assistant" aria-busy={streaming} data-testid="assistant-message" data-state={message.state}>
      <OpenEntity.Provider value={setPanel}>
      {message.parts.map((p, i) => {
        if (p.kind === 'text') {
          const text = i === lastText && split ? split.text : p.text
          if (i !== lastText || !message.chart) return <Markdown key={i} text={text} entities={message.entities} />
          // The chart goes between the answer's words and its table.
          const [before, table] = splitAtTable(text) ?? [text, '']
          return (
            <Fragment key={i}>
              <Markdown text={before} entities={message.entities} />
              <Suspense fallback={<div className="answer-chart-loading muted small">Drawing the chart…</div>}>
                <AnswerChart spec={message.chart} />
              </Suspense>
              {table && <Markdown text={table} entities={message.entities} />}
            </Fragment>
          )
        }
        if (p.kind === 'thinking')
          return (
            <details key={i} className="thinking">
              <summary>{p.open ? 'Thinking…' : 'Thought process'}</summary>
              <div className="thinking-text">{p.text}</div>
            </details>
          )
        return <ToolCard key={i} part={p} />
      })}
      </OpenEntity.Provider>
      {panel && <EntityPanel entity={panel} onClose={() => setPanel(null)} onOpen={setPanel} />}
      {split && split.questions.length > 0 && <FollowUps label="Questions I can answer:" questions={split.questions} onAsk={onAsk} />}
      {latest && message.state === 'done' && message.suggestions && <FollowUps label="Ask next:" questions={message.suggestions} onAsk={onAsk} />}
      {pager && message.list && message.state === 'done' && <PageControl list={message.list} onRequest={pager.onRequest} />}
      {streaming && message.queuePosition !== undefined && (
        <div className="muted small" data-testid="queued">
          Waiting for the model — {message.queuePosition === 1 ? 'you are next' : `${message.queuePosition} in line`}.
        </div>
      )}
      {streaming && empty && <div className="typing" aria-label="The assistant is working"><span /><span /><span /></div>}
      {message.state === 'stopped' && <div className="muted small">Stopped.</div>}
      {message.state === 'error' && message.error && (
        <div className="error-box" role="alert">
          <strong>{message.error.message}</strong>
          <div>{errorHint(message.error.code)}</div>
        </div>
      )}
      {!streaming && !empty && (
        <div className="answer-actions">
          <CopyButton label="Copy answer" text={() => answerMarkdown(message.parts)} />
        </div>
      )}
      <AnswerFooter by={message.answeredBy} stats={message.stats} answer={message} />
    </article>
  )
}

// What an answer says, as Markdown: its text, without thinking or tool calls.
function answerMarkdown(parts: Part[]): string {
  return parts.flatMap((p) => (p.kind === 'text' ? [p.text.trim()] : [])).join('\n\n')
}
