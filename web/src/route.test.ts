import { expect, it } from 'vitest'
import { conversationFromPath, pathFor } from './route'

it('reads the conversation of /c/<id> and nothing else', () => {
  expect(conversationFromPath('/c/5a1d-77')).toBe('5a1d-77')
  expect(conversationFromPath('/c/5a1d-77/')).toBe('5a1d-77')
  expect(conversationFromPath('/c/a%20b')).toBe('a b')
  expect(conversationFromPath('/')).toBeNull()
  expect(conversationFromPath('/c/')).toBeNull()
  expect(conversationFromPath('/c/a/b')).toBeNull()
  expect(conversationFromPath('/c/%E0%A4%A')).toBeNull()
  expect(conversationFromPath('/conversations/x')).toBeNull()
})

it('writes the address of a conversation, and / for a new one', () => {
  expect(pathFor('5a1d-77')).toBe('/c/5a1d-77')
  expect(pathFor('a/b')).toBe('/c/a%2Fb')
  expect(pathFor(null)).toBe('/')
  expect(conversationFromPath(pathFor('x y'))).toBe('x y')
})
