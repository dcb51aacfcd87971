import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ChatSocket, type SocketLike } from './chatSocket'
import { useChatSocket } from './useChatSocket'

// A WebSocket stand-in the test drives by hand.
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  closed = false
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  constructor(public url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string) {
    this.sent.push(data)
  }
  close() {
    this.closed = true
    this.readyState = 3
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  drop() {
    this.readyState = 3
    this.onclose?.({})
  }
  receive(obj: unknown) {
    this.onmessage?.({ data: JSON.stringify(obj) })
  }
}

const latest = () => FakeSocket.all[FakeSocket.all.length - 1]

function make(extra: Partial<ConstructorParameters<typeof ChatSocket>[0]> = {}) {
  const events: unknown[] = []
  const statuses: string[] = []
  const flushed: string[] = []
  const s = new ChatSocket({
    url: 'ws://test/ws/chat',
    createSocket: (u) => new FakeSocket(u),
    onEvent: (e) => events.push(e),
    onStatus: (st) => statuses.push(st),
    onFlushed: (id) => flushed.push(id),
    random: () => 0.5,
    isOnline: () => true,
    ...extra,
  })
  return { s, events, statuses, flushed }
}

beforeEach(() => {
  FakeSocket.all = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('ChatSocket', () => {
  it('connects and delivers parsed events', () => {
    const { events, statuses } = make()
    expect(statuses).toEqual(['connecting'])
    latest().open()
    expect(statuses).toEqual(['connecting', 'connected'])
    latest().receive({ type: 'token', content: 'hi', timestamp: 't' })
    latest().onmessage?.({ data: 'not json' })
    expect(events).toEqual([{ type: 'token', content: 'hi', timestamp: 't' }])
  })

  it('reconnects with exponential backoff and jitter', () => {
    const delays: number[] = []
    const { statuses } = make({ backoffBaseMs: 100, backoffMaxMs: 1000 })
    latest().drop()
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = FakeSocket.all.length
      let waited = 0
      while (FakeSocket.all.length === before) {
        vi.advanceTimersByTime(10)
        waited += 10
      }
      delays.push(waited)
      latest().drop()
    }
    // With random() = 0.5 each delay is 3/4 of min(max, base * 2^n).
    expect(delays).toEqual([80, 150, 300, 600, 750, 750])
    expect(statuses).toContain('reconnecting')
  })

  it('sends queued messages when the connection returns', () => {
    const { s, flushed } = make()
    expect(s.send({ type: 'message', message: 'while offline' }, 'u1')).toBe(false)
    expect(s.send({ type: 'ping' })).toBe(false) // pings are not queued
    latest().open()
    expect(latest().sent).toEqual([JSON.stringify({ type: 'message', message: 'while offline' })])
    expect(flushed).toEqual(['u1'])
    expect(s.send({ type: 'ping' })).toBe(true)
  })

  it('treats a connection that does not answer the heartbeat as dead', () => {
    const { statuses } = make({ heartbeatMs: 1000, heartbeatTimeoutMs: 500 })
    const first = latest()
    first.open()
    vi.advanceTimersByTime(1000)
    expect(first.sent).toEqual([JSON.stringify({ type: 'ping' })])
    first.receive({ type: 'pong', timestamp: 't' }) // alive
    vi.advanceTimersByTime(1000)
    expect(first.closed).toBe(false)
    vi.advanceTimersByTime(600) // second ping unanswered
    expect(first.closed).toBe(true)
    expect(statuses[statuses.length - 1]).toBe('reconnecting')
    vi.advanceTimersByTime(1000)
    expect(FakeSocket.all.length).toBe(2)
  })

  it('reports offline when the browser is offline and reconnects on demand', () => {
    const { s, statuses } = make({ isOnline: () => false })
    latest().drop()
    expect(statuses[statuses.length - 1]).toBe('offline')
    s.reconnectNow()
    expect(FakeSocket.all.length).toBe(2)
    s.close()
    expect(latest().closed).toBe(true)
  })
})

describe('useChatSocket', () => {
  it('exposes status, sends, and closes on unmount', () => {
    const events: unknown[] = []
    const { result, unmount } = renderHook(() =>
      useChatSocket('ws://test/ws/chat', (e) => events.push(e), undefined, { createSocket: (u) => new FakeSocket(u) }),
    )
    expect(result.current.status).toBe('connecting')
    act(() => latest().open())
    expect(result.current.status).toBe('connected')
    act(() => {
      result.current.send({ type: 'message', message: 'hello' })
    })
    expect(latest().sent).toEqual([JSON.stringify({ type: 'message', message: 'hello' })])
    act(() => latest().receive({ type: 'pong', timestamp: 't' }))
    expect(events).toHaveLength(1)
    act(() => latest().drop())
    expect(result.current.status).toBe('reconnecting')
    expect(result.current.nextAttemptAt).not.toBeNull()
    const sockets = FakeSocket.all.length
    unmount()
    vi.advanceTimersByTime(60000)
    expect(FakeSocket.all.length).toBe(sockets) // no reconnect after unmount
  })

  it('closes the open connection on unmount', () => {
    const { unmount } = renderHook(() => useChatSocket('ws://test/ws/chat', () => {}, undefined, { createSocket: (u) => new FakeSocket(u) }))
    act(() => latest().open())
    unmount()
    expect(latest().closed).toBe(true)
  })
})
