import { expect, it } from 'vitest'
import type { ConversationSummary } from './api'
import { dayLabel, groupByDay } from './conversationGroups'

const conv = (id: string, updated: Date | string): ConversationSummary => ({
  conversation_id: id,
  title: id,
  created_at: '',
  updated_at: typeof updated === 'string' ? updated : updated.toISOString(),
  message_count: 2,
})
// Local times: the groups are the reader's days, not UTC's.
const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h)
const now = at(2026, 12, 2, 9)

it('groups a newest-first list by the local day of its last activity', () => {
  const groups = groupByDay(
    [conv('a', at(2026, 12, 2, 8)), conv('b', at(2026, 12, 2, 0)), conv('c', at(2026, 12, 1, 23)), conv('d', at(2026, 11, 20)), conv('e', at(2026, 11, 20, 1))],
    now,
  )
  expect(groups.map((g) => [g.label, g.conversations.map((c) => c.conversation_id)])).toEqual([
    ['Today', ['a', 'b']],
    ['Yesterday', ['c']],
    [dayLabel(at(2026, 11, 20), now), ['d', 'e']],
  ])
})

it('names a day of the last week by its weekday, an older one by its date, another year with the year', () => {
  expect(dayLabel(at(2026, 11, 28), now)).toContain(at(2026, 11, 28).toLocaleDateString(undefined, { weekday: 'long' }))
  expect(dayLabel(at(2026, 11, 20), now)).not.toContain(at(2026, 11, 20).toLocaleDateString(undefined, { weekday: 'long' }))
  expect(dayLabel(at(2026, 11, 20), now)).toContain('20')
  expect(dayLabel(at(2025, 3, 4), now)).toContain('2025')
  expect(dayLabel(at(2026, 3, 4), now)).not.toContain('2026')
})

it('keeps an unreadable date in an Earlier group, and an empty list has no groups', () => {
  expect(groupByDay([conv('x', 'not a date')], now)).toEqual([{ label: 'Earlier', conversations: [conv('x', 'not a date')] }])
  expect(groupByDay([], now)).toEqual([])
})
