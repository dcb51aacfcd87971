import { beforeEach, describe, expect, it, vi } from 'vitest'
import { authHeaders, getToken, setToken, takeTokenFromUrl, withToken } from './auth'

beforeEach(() => sessionStorage.clear())

describe('auth', () => {
  it('takes the token from the link and removes it from the address bar', () => {
    const replaceState = vi.fn()
    takeTokenFromUrl({ hash: '#token=a%20b', pathname: '/c/1', search: '?x=1' }, { replaceState })
    expect(getToken()).toBe('a b')
    expect(replaceState).toHaveBeenCalledWith(null, '', '/c/1?x=1')
  })

  it('leaves everything alone without a token in the link', () => {
    const replaceState = vi.fn()
    takeTokenFromUrl({ hash: '#other', pathname: '/', search: '' }, { replaceState })
    expect(getToken()).toBeNull()
    expect(replaceState).not.toHaveBeenCalled()
    expect(authHeaders()).toEqual({})
    expect(withToken('ws://h/ws/chat')).toBe('ws://h/ws/chat')
  })

  it('sends a stored token as a bearer header and a WebSocket query parameter', () => {
    setToken(' t&1 ')
    expect(authHeaders()).toEqual({ Authorization: 'Bearer t&1' })
    expect(withToken('ws://h/ws/chat')).toBe('ws://h/ws/chat?token=t%261')
  })

  it('carries a tenant token from the link as a header and a WebSocket query parameter', () => {
    const replaceState = vi.fn()
    takeTokenFromUrl({ hash: '#tenant=p.s&token=t', pathname: '/', search: '' }, { replaceState })
    expect(authHeaders()).toEqual({ Authorization: 'Bearer t', 'X-PMS-Tenant': 'p.s' })
    expect(withToken('ws://h/ws/chat')).toBe('ws://h/ws/chat?token=t&tenant=p.s')
    expect(replaceState).toHaveBeenCalledWith(null, '', '/')
  })
})
