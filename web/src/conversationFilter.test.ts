import { expect, it } from 'vitest'
import type { ConversationSummary } from './api'
import { filterConversations } from './conversationFilter'

const conv = (title: string): ConversationSummary => ({ conversation_id: title, title, created_at: '', updated_at: '', message_count: 1 })
const list = [conv('Open bugs by priority'), conv('Who works on Café app?'), conv('Bugs in Mobile App'), conv('')]
const titles = (q: string) => filterConversations(list, q).map((c) => c.title)

it('keeps the conversations whose title has every word, in their order', () => {
  expect(titles('bugs')).toEqual(['Open bugs by priority', 'Bugs in Mobile App'])
  expect(titles('app bugs')).toEqual(['Bugs in Mobile App'])
  expect(titles('nothing like this')).toEqual([])
})

it('ignores case and accents, and an empty search keeps all', () => {
  expect(titles('CAFE')).toEqual(['Who works on Café app?'])
  expect(titles('  ')).toHaveLength(4)
})
