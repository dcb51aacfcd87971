import { expect, it } from 'vitest'
import { insertMention, mentionAt, mentionText } from './mentions'

it('finds the mention being typed at the caret', () => {
  expect(mentionAt('who is @Mei', 11)).toEqual({ start: 7, end: 11, query: 'Mei' })
  expect(mentionAt('details of PRO-1-5', 18)).toEqual({ start: 11, end: 18, query: 'PRO-1-5' })
  expect(mentionAt('(FLEET-21', 9)?.query).toBe('FLEET-21')
  // Not mentions: an e-mail's @, a date, a word with a dash but no number, nothing typed yet.
  expect(mentionAt('mail a@b', 8)).toBeNull()
  expect(mentionAt('since 2026-11', 13)).toBeNull()
  expect(mentionAt('self-service', 12)).toBeNull()
  expect(mentionAt('@', 1)).toBeNull()
})

it('puts what the planner reads into the question: a number for an item, else the name', () => {
  expect(mentionText({ kind: 'workItem', id: 'w', name: 'Fix cranes', number: 'PRO-1-5' })).toBe('PRO-1-5')
  expect(mentionText({ kind: 'members', id: 'u', name: 'Mei Kim' })).toBe('Mei Kim')
  const m = mentionAt('bugs of @mei in Ops', 12)!
  expect(insertMention('bugs of @mei in Ops', m, 'Mei Kim')).toEqual({ text: 'bugs of Mei Kim in Ops', caret: 16 })
})
