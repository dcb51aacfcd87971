import { expect, it } from 'vitest'
import { readRating, storedAnswerIndex } from './feedback'

const user = (content: string) => ({ role: 'user', content })
const answer = (content: string, extra = {}) => ({ role: 'assistant', content, ...extra })
const call = { role: 'assistant', content: 'Let me count.', tool_calls: [{}] }
const result = { role: 'tool', content: '{"count": 6}' }

it('finds the newest answer when it is the one the turn gave', () => {
  const stored = [user('a'), answer('One.'), user('b'), call, result, answer('Six.')]
  expect(storedAnswerIndex(stored, 'Six.')).toBe(5)
  expect(storedAnswerIndex(stored, 'One.')).toBeNull() // not the newest: the turn's was not saved
  expect(storedAnswerIndex([...stored, user('c'), call, result], 'Six.')).toBeNull() // a tool call is not an answer, the newest turn has none
  expect(storedAnswerIndex([user('a'), answer('Six', { stopped: true })], 'Six')).toBeNull()
  expect(storedAnswerIndex([], 'Six.')).toBeNull()
})

it('reads only the ratings the server stores', () => {
  expect(['up', 'down', 'meh', null, undefined].map(readRating)).toEqual(['up', 'down', undefined, undefined, undefined])
})
