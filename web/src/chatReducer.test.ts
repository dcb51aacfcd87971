import { describe, expect, it } from 'vitest'
import { chatReducer, initialChatState, messagesFromStored, type ChatAction, type ChatState } from './chatReducer'
import type { ServerEvent } from './protocol'

const ts = '2025-11-20T09:00:00.000Z'
const ev = (e: Record<string, unknown>): ChatAction => ({ type: 'event', event: { timestamp: ts, ...e } as ServerEvent })
const run = (actions: ChatAction[], from: ChatState = initialChatState) => actions.reduce(chatReducer, from)
const assistant = (s: ChatState) => {
  const m = s.messages[s.messages.length - 1]
  if (m.role !== 'assistant') throw new Error('last message is not the assistant')
  return m
}

const start: ChatAction[] = [
  { type: 'send', id: 'u1', text: 'How many bugs?', queued: false },
  ev({ type: 'user_message', content: 'How many bugs?', conversation_id: 'c1' }),
  ev({ type: 'llm_start', step: 1 }),
]

describe('chatReducer', () => {
  it('streams tokens into one text part and completes with stats', () => {
    const s = run([
      ...start,
      ev({ type: 'token', content: 'There are ' }),
      ev({ type: 'token', content: '**12** bugs.' }),
      ev({ type: 'llm_end', elapsed_time: 0.4 }),
      ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 120, tokens: 5, tokens_per_second: 20, elapsed_ms: 400 }),
    ])
    expect(s.conversationId).toBe('c1')
    expect(s.turnActive).toBe(false)
    const a = assistant(s)
    expect(a.state).toBe('done')
    expect(a.parts).toEqual([{ kind: 'text', text: 'There are **12** bugs.' }])
    expect(a.stats).toEqual({ firstTokenMs: 120, tokens: 5, tokensPerSecond: 20, elapsedMs: 400 })
    expect(a.answeredBy).toBeUndefined() // an older server that does not say
    expect(s.messages[0]).toMatchObject({ role: 'user', status: 'sent' })
  })

  it('records an answer that the question planner wrote', () => {
    const s = run([
      { type: 'send', id: 'u1', text: '/q bugs by state', queued: false },
      ev({ type: 'user_message', content: '/q bugs by state', conversation_id: 'c1' }),
      ev({ type: 'tool_start', tool_name: 'aggregate', input: '{}' }),
      ev({ type: 'tool_end', tool_name: 'aggregate', output: '{}', elapsed_ms: 1 }),
      ev({ type: 'token', content: 'Work items by state:' }),
      ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 2, tokens: 0, tokens_per_second: 0, elapsed_ms: 3, answered_by: 'planner' }),
    ])
    expect(assistant(s).stats).toEqual({ firstTokenMs: 2, tokens: 0, tokensPerSecond: 0, elapsedMs: 3 })
    expect(assistant(s).answeredBy).toBe('planner')
    expect(assistant(s).parts.map((p) => p.kind)).toEqual(['tool', 'text'])
  })

  it('knows every path that can answer, and none that the protocol does not name', () => {
    const by = (answered_by: unknown) =>
      assistant(run([...start, ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 1, tokens: 1, tokens_per_second: 1, elapsed_ms: 1, answered_by })])).answeredBy
    expect(['model', 'planner', 'model-plan', 'shell', 'oracle'].map(by)).toEqual(['model', 'planner', 'model-plan', 'shell', undefined])
  })

  it('keeps thinking apart from the answer and closes it when text starts', () => {
    const s = run([...start, ev({ type: 'thinking', content: 'Count ' }), ev({ type: 'thinking', content: 'them.' }), ev({ type: 'token', content: 'Twelve.' })])
    expect(assistant(s).parts).toEqual([
      { kind: 'thinking', text: 'Count them.', open: false },
      { kind: 'text', text: 'Twelve.' },
    ])
  })

  it('tracks a tool call from start to end', () => {
    const s = run([
      ...start,
      ev({ type: 'tool_start', tool_name: 'count_documents', input: '{"collection":"workItem"}', arguments: { collection: 'workItem' } }),
    ])
    expect(assistant(s).parts[0]).toMatchObject({ kind: 'tool', name: 'count_documents', state: 'running', args: { collection: 'workItem' } })
    const t = run([ev({ type: 'tool_end', tool_name: 'count_documents', output: '{"count":12}', elapsed_ms: 1.5, ok: true })], s)
    expect(assistant(t).parts[0]).toMatchObject({ state: 'done', ok: true, output: '{"count":12}', elapsedMs: 1.5 })
  })

  it('keeps the names the ids of a tool call stand for through its end', () => {
    const id = 'de39845b-549e-4dbf-bf52-d5ce85ec331a'
    const s = run([
      ...start,
      ev({ type: 'tool_start', tool_name: 'count_documents', input: '{}', arguments: { filter: { 'project._id': id } }, names: { [id]: 'Mobile App' } }),
      ev({ type: 'tool_end', tool_name: 'count_documents', output: '{"count":3}', elapsed_ms: 1 }),
    ])
    expect(assistant(s).parts[0]).toMatchObject({ state: 'done', names: { [id]: 'Mobile App' } })
    const none = run([...start, ev({ type: 'tool_start', tool_name: 'list_collections', input: '{}' })])
    expect(assistant(none).parts[0]).not.toHaveProperty('names')
  })

  it('ignores duplicate and out-of-order events', () => {
    const done = run([
      ...start,
      ev({ type: 'token', content: 'A' }),
      ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 1, tokens: 1, tokens_per_second: 1, elapsed_ms: 1 }),
    ])
    const after = run(
      [
        ev({ type: 'token', content: 'late' }),
        ev({ type: 'tool_end', tool_name: 'x', output: '{}', elapsed_ms: 1 }),
        ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 9, tokens: 9, tokens_per_second: 9, elapsed_ms: 9 }),
      ],
      done,
    )
    expect(after.messages).toEqual(done.messages)
    // a tool_end without its tool_start changes nothing
    const s = run([...start, ev({ type: 'tool_end', tool_name: 'find_documents', output: '{}', elapsed_ms: 1 })])
    expect(assistant(s).parts).toEqual([])
  })

  it('connected, llm_start and pong change nothing visible', () => {
    const s = run(start)
    const same = run([ev({ type: 'connected', client_id: 'x' }), ev({ type: 'llm_start', step: 2 }), ev({ type: 'pong' })], s)
    expect(same).toEqual(s)
  })

  it('shows the place in the queue until the model starts', () => {
    const waiting = run([{ type: 'send', id: 'u1', text: 'q', queued: false }, ev({ type: 'user_message', content: 'q', conversation_id: 'c' }), ev({ type: 'queued', position: 2 })])
    expect(assistant(waiting).queuePosition).toBe(2)
    expect(assistant(run([ev({ type: 'queued', position: 1 })], waiting)).queuePosition).toBe(1)
    expect(assistant(run([ev({ type: 'llm_start', step: 1 })], waiting)).queuePosition).toBeUndefined()
  })

  it('a turn that ends in error shows it where the answer would be', () => {
    const s = run([...start, ev({ type: 'error', code: 'llm_unreachable', message: 'cannot connect', conversation_id: 'c1' })])
    const a = assistant(s)
    expect(a.state).toBe('error')
    expect(a.error).toEqual({ code: 'llm_unreachable', message: 'cannot connect' })
    expect(s.turnActive).toBe(false)
  })

  it('a new conversation is saved once a turn in it completes, not when its first question fails', () => {
    const accepted = run(start)
    expect(accepted.conversationId).toBe('c1') // the next question continues it
    expect(accepted.saved).toBe(false)
    const refused = run([ev({ type: 'error', code: 'unknown_project', message: 'no project GONE', conversation_id: 'c1' })], accepted)
    expect(refused.saved).toBe(false)
    const again = run([{ type: 'send', id: 'u2', text: 'How many bugs?', queued: false }, ev({ type: 'user_message', content: 'How many bugs?', conversation_id: 'c1' })], refused)
    const done = run([ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 1, tokens: 1, tokens_per_second: 1, elapsed_ms: 1 })], again)
    expect(done.saved).toBe(true)
    // A later failure does not unsave it.
    const more = run([{ type: 'send', id: 'u3', text: 'And open?', queued: false }, ev({ type: 'user_message', content: 'And open?', conversation_id: 'c1' })], done)
    expect(run([ev({ type: 'error', code: 'llm_unreachable', message: 'x', conversation_id: 'c1' })], more).saved).toBe(true)
  })

  it('an error about a frame is a notice and ends nothing', () => {
    const s = run([...start, ev({ type: 'error', code: 'busy', message: 'still writing' })])
    expect(s.notice).toEqual({ code: 'busy', message: 'still writing' })
    expect(s.turnActive).toBe(true)
    expect(assistant(s).state).toBe('streaming')
  })

  it('stop marks the turn and a cancelled complete keeps the partial answer', () => {
    let s = run([...start, ev({ type: 'token', content: 'Partial' }), { type: 'stop' }])
    expect(s.stopping).toBe(true)
    s = run([ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 5, tokens: 1, tokens_per_second: 1, elapsed_ms: 9, cancelled: true })], s)
    expect(assistant(s).state).toBe('stopped')
    expect(assistant(s).parts).toEqual([{ kind: 'text', text: 'Partial' }])
    expect(s.stopping).toBe(false)
  })

  it('a lost connection ends the turn in flight but keeps queued messages', () => {
    const s = run([...start, ev({ type: 'token', content: 'Half' }), { type: 'connection_lost' }])
    expect(assistant(s)).toMatchObject({ state: 'error', error: { code: 'connection_lost' } })
    expect(assistant(s).parts).toEqual([{ kind: 'text', text: 'Half' }])
    expect(s.turnActive).toBe(false)
    const unanswered = run([{ type: 'send', id: 'u1', text: 'q', queued: false }, { type: 'connection_lost' }])
    expect(unanswered.messages[0]).toMatchObject({ status: 'failed' })
    expect(assistant(unanswered).state).toBe('error')
    const queued = run([{ type: 'send', id: 'u1', text: 'q', queued: true }, { type: 'connection_lost' }])
    expect(queued.messages).toHaveLength(1)
    expect(queued.turnActive).toBe(true)
    expect(run([{ type: 'connection_lost' }])).toEqual(initialChatState)
  })

  it('queued messages become sent when flushed, or failed', () => {
    let s = run([{ type: 'send', id: 'u9', text: 'later', queued: true }])
    expect(s.messages[0]).toMatchObject({ status: 'queued' })
    expect(run([{ type: 'sent', id: 'u9' }], s).messages[0]).toMatchObject({ status: 'sent' })
    s = run([{ type: 'send_failed', id: 'u9' }], s)
    expect(s.messages[0]).toMatchObject({ status: 'failed' })
    expect(s.turnActive).toBe(false)
  })

  it('loads stored conversations with tool calls folded into the answer', () => {
    const msgs = messagesFromStored([
      { role: 'user', content: 'How many projects?' },
      { role: 'assistant', content: '', tool_calls: [{ name: 'count_documents', arguments: { collection: 'project' } }] },
      { role: 'tool', content: '{"count":6}', tool_name: 'count_documents' },
      { role: 'assistant', content: 'Six.' },
      { role: 'user', content: 'Stop' },
      { role: 'assistant', content: 'Par', stopped: true },
    ])
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    const a = msgs[1]
    if (a.role !== 'assistant') throw new Error()
    expect(a.parts).toMatchObject([{ kind: 'tool', state: 'done', ok: true, output: '{"count":6}' }, { kind: 'text', text: 'Six.' }])
    expect(msgs[3]).toMatchObject({ state: 'stopped' })
    const s = chatReducer(initialChatState, { type: 'load_conversation', conversationId: 'c7', messages: msgs })
    expect(s.conversationId).toBe('c7')
    expect(s.saved).toBe(true)
    expect(chatReducer(s, { type: 'new_conversation' })).toEqual(initialChatState)
  })
})

describe('an answer\'s chart and follow-ups', () => {
  const chart = { type: 'pie', title: 'Bugs by priority', x_label: 'Priority', y_label: 'Bugs', data: [{ x: 'HIGH', y: 4 }, { x: 'LOW', y: 2 }], alt: 'HIGH 4, LOW 2' }
  const complete = (extra: Record<string, unknown>) =>
    ev({ type: 'complete', conversation_id: 'c1', first_token_ms: null, tokens: 0, tokens_per_second: 0, elapsed_ms: 3, ...extra })

  it('keeps the chart and the suggestions complete brings', () => {
    const a = assistant(run([...start, ev({ type: 'token', content: 'Bugs by priority:' }), complete({ chart, suggestions: ['by assignee', ' only HIGH ', 'only HIGH', 'show all 30', 'a fourth'] })]))
    expect(a.chart).toEqual(chart)
    expect(a.suggestions).toEqual(['by assignee', 'only HIGH', 'show all 30'])
  })

  it('drops a malformed chart and suggestions that are not questions', () => {
    const a = assistant(run([...start, complete({ chart: { ...chart, type: 'radar' }, suggestions: [3, ''] })]))
    expect(a.chart).toBeUndefined()
    expect(a.suggestions).toBeUndefined()
    expect(assistant(run([...start, complete({ chart: 'pie', suggestions: 'by assignee' })])).suggestions).toBeUndefined()
  })

  it('reads them back from a stored answer', () => {
    const msgs = messagesFromStored([
      { role: 'user', content: 'bugs by priority' },
      { role: 'assistant', content: 'Bugs by priority:', chart, suggestions: ['by assignee'] },
    ])
    expect(msgs[1]).toMatchObject({ role: 'assistant', chart, suggestions: ['by assignee'] })
  })

  it('a Show more reply\'s follow-ups replace those of the table it extends', () => {
    const table = (rows: string[]) => `Open items:\n\n| Item |\n| --- |\n${rows.map((r) => `| ${r} |`).join('\n')}`
    const first = run([...start, ev({ type: 'token', content: table(['A', 'B']) }), complete({ page: { offset: 0, shown: 2, total: 4, next: 'show more' }, suggestions: ['show all 4'] })])
    const target = assistant(first).id
    const s = run(
      [
        { type: 'send', id: 'u2', text: 'show more', queued: false, pageOf: target },
        ev({ type: 'user_message', content: 'show more', conversation_id: 'c1' }),
        ev({ type: 'token', content: table(['C', 'D']) }),
        complete({ page: { offset: 2, shown: 2, total: 4 }, suggestions: ['by assignee'] }),
      ],
      first,
    )
    const extended = s.messages.find((m) => m.id === target)
    expect(extended).toMatchObject({ suggestions: ['by assignee'], list: { rows: 4 } })
  })
})

describe('ratings', () => {
  it('a reloaded answer knows its stored place and its rating; a live one learns the place, and rates', () => {
    const stored = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', tool_calls: [{ name: 'count_documents', arguments: {} }] },
      { role: 'tool', tool_name: 'count_documents', content: '{"count": 6}' },
      { role: 'assistant', content: 'Six.', feedback: 'down' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'Seven.', feedback: 'sideways' },
    ]
    const answers = messagesFromStored(stored).filter((m) => m.role === 'assistant')
    expect(answers.map((m) => m.role === 'assistant' && [m.stored, m.feedback])).toEqual([
      [3, 'down'],
      [5, undefined],
    ])

    const live = run([...start, ev({ type: 'token', content: 'Twelve.' }), ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 1, tokens: 1, tokens_per_second: 1, elapsed_ms: 1, response: 'Twelve.' })])
    const a = assistant(live)
    expect([a.response, a.stored]).toEqual(['Twelve.', undefined])
    const rated = run([{ type: 'answer_stored', id: a.id, index: 2 }, { type: 'rate', id: a.id, rating: 'up' }], live)
    expect([assistant(rated).stored, assistant(rated).feedback]).toEqual([2, 'up'])
    expect(assistant(run([{ type: 'rate', id: a.id, rating: null }], rated)).feedback).toBeUndefined()
    expect(run([{ type: 'rate', id: 'u1', rating: 'up' }], rated).messages[0]).toEqual(rated.messages[0]) // a question is not rated
  })
})

describe('a question\'s project scope', () => {
  const fleet = { id: 'p1', short_id: 'FLEET', name: 'Fleet Tracker' }
  const done = (extra: Record<string, unknown> = {}) =>
    ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 1, tokens: 1, tokens_per_second: 1, elapsed_ms: 1, ...extra })
  const asked = (s: ChatState) => s.messages.find((m) => m.role === 'user')

  it('is kept on the question sent, and the scope the server answered in replaces it', () => {
    const sent = run([{ type: 'send', id: 'u1', text: 'how many work items', queued: false, project: fleet }, ev({ type: 'user_message', content: 'x', conversation_id: 'c1' })])
    expect(asked(sent)).toMatchObject({ project: fleet })
    expect(asked(run([done({ project: { ...fleet, name: 'Fleet' } })], sent))).toMatchObject({ project: { id: 'p1', name: 'Fleet' } })
    // A server that did not limit the turn says so by leaving project out.
    expect(asked(run([done()], sent))).not.toHaveProperty('project.id')
    expect(asked(run(start))).not.toHaveProperty('project')
  })

  it('is read back from a stored question', () => {
    const msgs = messagesFromStored([{ role: 'user', content: 'q', project: fleet }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'q2', project: 'FLEET' }])
    expect(msgs[0]).toMatchObject({ role: 'user', project: fleet })
    expect(msgs[2]).not.toHaveProperty('project')
  })
})
