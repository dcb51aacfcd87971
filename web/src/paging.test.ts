// The reducer's side of Show more / Show all: the rows of the next page join the answer's table.
import { describe, expect, it } from 'vitest'
import { chatReducer, initialChatState, messagesFromStored, type ChatAction, type ChatMessage, type ChatState } from './chatReducer'
import { pagerTarget, remainingRows } from './paging'
import type { ServerEvent } from './protocol'

const ts = '2025-11-20T09:00:00.000Z'
const ev = (e: Record<string, unknown>): ChatAction => ({ type: 'event', event: { timestamp: ts, ...e } as ServerEvent })
const run = (actions: ChatAction[], from: ChatState = initialChatState) => actions.reduce(chatReducer, from)

const header = '| Number | Title |\n| --- | --- |'
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `| MAA-${from + i} | Item ${from + i} |`).join('\n')
const table = (intro: string, from: number, to: number) => `${intro}\n\n${header}\n${rows(from, to)}\n`
// As the server sends it: `next` only while rows remain.
const page = (offset: number, shown: number, total = 30) => ({ offset, shown, total, ...(offset + shown < total ? { next: 'show more' } : {}) })

// One whole turn: the question, its answer streamed, and its complete.
const turn = (id: string, question: string, answer: string, extra: Record<string, unknown> = {}, pageOf?: string): ChatAction[] => [
  { type: 'send', id, text: question, queued: false, pageOf },
  ev({ type: 'user_message', content: question, conversation_id: 'c1' }),
  ev({ type: 'token', content: answer }),
  ev({ type: 'complete', conversation_id: 'c1', first_token_ms: 2, tokens: 0, tokens_per_second: 0, elapsed_ms: 3, answered_by: 'planner', ...extra }),
]

const firstAnswer = (s: ChatState) => s.messages[1] as Extract<ChatMessage, { role: 'assistant' }>
const visible = (s: ChatState) => s.messages.filter((m) => !m.hidden)
const text = (m: ChatMessage) => (m.role === 'assistant' && m.parts[m.parts.length - 1].kind === 'text' ? (m.parts[m.parts.length - 1] as { text: string }).text : '')

const listed = run(turn('u1', 'list open items in mobile app', table('**30** match. The 10 newest:', 1, 10), { page: page(0, 10) }))
const askMore = (from: ChatState, text = 'show more') => {
  const target = firstAnswer(from).id
  return run([{ type: 'send', id: 'u2', text, queued: false, pageOf: target }], from)
}

describe('Show more in the reducer', () => {
  it('a list answer with a page offers more rows; without a page there is nothing to page', () => {
    const a = firstAnswer(listed)
    expect(a.list).toEqual({ offset: 0, rows: 10, total: 30, next: 'show more', pageSize: 10, loading: false })
    expect(remainingRows(a.list!)).toBe(20)
    expect(pagerTarget(listed.messages)).toBe(a.id)
    const plain = run(turn('u1', 'how many bugs?', 'There are **12** bugs.'))
    expect(firstAnswer(plain).list).toBeUndefined()
    expect(pagerTarget(plain.messages)).toBeNull()
    // A malformed page is ignored rather than shown wrong.
    const odd = run(turn('u1', 'q', table('x', 1, 10), { page: { offset: -1, shown: 10, total: 30, next: 'show more' } }))
    expect(firstAnswer(odd).list).toBeUndefined()
  })

  it('appends the next page to the table in place and hides the Show more turn', () => {
    let s = askMore(listed)
    expect(firstAnswer(s).list?.loading).toBe(true)
    expect(visible(s)).toHaveLength(2) // the question "show more" is not shown
    s = run(turn('u2', 'show more', table('Rows 11–20 of 30:', 11, 20), { page: page(10, 10) }).slice(1), s)
    const a = firstAnswer(s)
    expect(text(a)).toBe(table('**30** match. The 10 newest:', 1, 20))
    expect(a.list).toEqual({ offset: 0, rows: 20, total: 30, next: 'show more', pageSize: 10, loading: false })
    expect(visible(s).map((m) => m.id)).toEqual([s.messages[0].id, a.id])
    expect(pagerTarget(s.messages)).toBe(a.id) // the control stays on the grown answer
    expect(s.messages.slice(2).every((m) => m.hidden && m.pageOf === a.id)).toBe(true)
  })

  it('the last page leaves no rows to ask for; show all replaces the rows from where its page starts', () => {
    let s = run(turn('u2', 'show more', table('', 11, 20), { page: page(10, 10) }).slice(1), askMore(listed))
    s = run(turn('u3', 'show more', table('', 21, 30), { page: page(20, 10) }, firstAnswer(s).id), s)
    expect(firstAnswer(s).list).toMatchObject({ rows: 30, total: 30 })
    expect(remainingRows(firstAnswer(s).list!)).toBe(0)
    expect(text(firstAnswer(s))).toBe(table('**30** match. The 10 newest:', 1, 30))
    const all = run(turn('u2', 'show all', table('All 30:', 1, 30), { page: page(0, 30) }).slice(1), askMore(listed, 'show all'))
    expect(text(firstAnswer(all))).toBe(table('**30** match. The 10 newest:', 1, 30))
    expect(remainingRows(firstAnswer(all).list!)).toBe(0)
    expect(firstAnswer(all).list).toMatchObject({ offset: 0, rows: 30, total: 30 }) // no row twice
    // A last page sent without a page of its own also ends the list.
    const bare = run(turn('u2', 'show more', table('', 11, 30)).slice(1), askMore(listed))
    expect(firstAnswer(bare).list).toMatchObject({ rows: 30, total: 30 })
  })

  it('an error brings the control back with the reason, and the turn stays hidden', () => {
    let s = run([ev({ type: 'user_message', content: 'show more', conversation_id: 'c1' })], askMore(listed))
    s = run([ev({ type: 'error', code: 'database_error', message: 'the database is locked', conversation_id: 'c1' })], s)
    const a = firstAnswer(s)
    expect(a.list).toMatchObject({ loading: false, rows: 10, error: expect.stringContaining('the database is locked') })
    expect(visible(s)).toHaveLength(2)
    expect(s.turnActive).toBe(false)
    // Asking again clears the error.
    expect(firstAnswer(askMore(s)).list).toMatchObject({ loading: true, error: undefined })
    const lost = run([{ type: 'connection_lost' }], askMore(listed))
    expect(firstAnswer(lost).list).toMatchObject({ loading: false, error: expect.stringContaining('connection was lost') })
  })

  it('a reply without rows to add is shown as the answer it is, and the table keeps its rows', () => {
    const s = run(turn('u2', 'show more', 'I did not understand "more".').slice(1), askMore(listed))
    expect(text(firstAnswer(s))).toBe(table('**30** match. The 10 newest:', 1, 10))
    expect(firstAnswer(s).list).toMatchObject({ loading: false, rows: 10, error: expect.stringContaining('shown below') })
    expect(visible(s).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(pagerTarget(s.messages)).toBeNull() // the last answer shown is that reply now
  })

  it('a newer answer takes the control away from the older list; a stopped list answer has none', () => {
    const s = run(turn('u2', 'how many projects?', 'Six.'), listed)
    expect(pagerTarget(s.messages)).toBeNull()
    const stopped = run(turn('u1', 'q', table('x', 1, 10), { page: page(0, 10), cancelled: true }))
    expect(firstAnswer(stopped).list).toBeUndefined()
  })

  it('asking to page an answer that has no more rows sends an ordinary, visible question', () => {
    const plain = run(turn('u1', 'how many bugs?', 'Twelve.'))
    const s = run([{ type: 'send', id: 'u2', text: 'show more', queued: false, pageOf: firstAnswer(plain).id }], plain)
    expect(s.messages[2]).toMatchObject({ role: 'user', text: 'show more' })
    expect(s.messages[2].hidden).toBeUndefined()
  })
})

describe('stored conversations', () => {
  const stored = (second: Record<string, unknown>) => [
    { role: 'user', content: 'list open items in mobile app' },
    { role: 'assistant', content: table('**30** match.', 1, 10), answered_by: 'planner', page: { offset: 0, shown: 10, total: 30 } },
    { role: 'user', content: 'show more' },
    { role: 'assistant', content: table('Rows 11–20:', 11, 20), answered_by: 'planner', ...second },
  ]

  it('fold a show more whose reply kept its page into the table, as it was live', () => {
    // Stored pages have no `next`.
    const msgs = messagesFromStored(stored({ page: { offset: 10, shown: 10, total: 30 } }))
    const shown = msgs.filter((m) => !m.hidden)
    expect(shown.map((m) => m.role)).toEqual(['user', 'assistant'])
    expect(text(shown[1])).toBe(table('**30** match.', 1, 20))
    expect(shown[1]).toMatchObject({ answeredBy: 'planner', list: { rows: 20, total: 30, next: 'show more' } })
    expect(pagerTarget(msgs)).toBe(shown[1].id)
  })

  it('show each turn as it is when the stored reply has no page, and invent no path', () => {
    const msgs = messagesFromStored(stored({}))
    expect(msgs.filter((m) => !m.hidden)).toHaveLength(4)
    expect(text(msgs[1])).toBe(table('**30** match.', 1, 10))
    const bare = messagesFromStored([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'A' }])
    expect(bare[1]).not.toHaveProperty('answeredBy')
    const unknown = messagesFromStored([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'A', answered_by: 'oracle' }])
    expect(unknown[1]).not.toHaveProperty('answeredBy')
  })
})
