// The WebSocket connection to /ws/chat, independent of React: reconnects with exponential
// backoff and jitter, sends a heartbeat ping and treats a silent connection as dead, and keeps
// messages written while offline to send them when the connection returns.
import { parseServerEvent, type ClientMessage, type ServerEvent } from './protocol'

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface SocketLike {
  readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
}

export interface ChatSocketOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  onEvent: (e: ServerEvent) => void
  onStatus: (s: ConnectionStatus, nextAttemptAt: number | null) => void
  // Called when a queued message has been sent after a reconnect.
  onFlushed?: (id: string) => void
  heartbeatMs?: number
  heartbeatTimeoutMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  random?: () => number
  isOnline?: () => boolean
}

const OPEN = 1

export class ChatSocket {
  private socket: SocketLike | null = null
  private status: ConnectionStatus = 'connecting'
  private attempts = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null
  private queue: { id: string; msg: ClientMessage }[] = []
  private closed = false
  private readonly o: Required<Omit<ChatSocketOptions, 'onFlushed'>> & Pick<ChatSocketOptions, 'onFlushed'>

  constructor(options: ChatSocketOptions) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      heartbeatMs: 15000,
      heartbeatTimeoutMs: 5000,
      backoffBaseMs: 500,
      backoffMaxMs: 15000,
      random: Math.random,
      isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
      ...options,
    }
    this.open()
  }

  // Sends now, or keeps the message until the connection is back. Returns whether it was sent.
  send(msg: ClientMessage, id = ''): boolean {
    if (this.socket && this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify(msg))
      return true
    }
    if (msg.type === 'message') this.queue.push({ id, msg })
    return false
  }

  reconnectNow(): void {
    if (this.status === 'connected' || this.closed) return
    this.clearRetry()
    this.open()
  }

  close(): void {
    this.closed = true
    this.clearRetry()
    this.stopHeartbeat()
    this.socket?.close(1000, 'bye')
    this.socket = null
  }

  private setStatus(s: ConnectionStatus, nextAttemptAt: number | null = null) {
    this.status = s
    this.o.onStatus(s, nextAttemptAt)
  }

  private open() {
    if (this.closed) return
    this.setStatus(this.attempts === 0 ? 'connecting' : 'reconnecting')
    let socket: SocketLike
    try {
      socket = this.o.createSocket(this.o.url)
    } catch {
      this.scheduleRetry()
      return
    }
    this.socket = socket
    socket.onopen = () => {
      if (this.socket !== socket) return
      this.attempts = 0
      this.setStatus('connected')
      this.startHeartbeat()
      const queued = this.queue
      this.queue = []
      for (const q of queued) {
        socket.send(JSON.stringify(q.msg))
        this.o.onFlushed?.(q.id)
      }
    }
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return
      this.alive()
      const e = parseServerEvent(ev.data)
      if (e) this.o.onEvent(e)
    }
    socket.onerror = () => {}
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      this.stopHeartbeat()
      this.scheduleRetry()
    }
  }

  private scheduleRetry() {
    if (this.closed) return
    this.clearRetry()
    // Exponential backoff with full jitter: spread reconnecting clients out.
    const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** this.attempts)
    const delay = Math.round(cap / 2 + (this.o.random() * cap) / 2)
    this.attempts++
    const at = Date.now() + delay
    this.setStatus(this.o.isOnline() ? 'reconnecting' : 'offline', at)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.open()
    }, delay)
  }

  private clearRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private startHeartbeat() {
    this.stopHeartbeat()
    this.heartbeatTimer = setInterval(() => {
      if (!this.socket || this.socket.readyState !== OPEN) return
      this.socket.send(JSON.stringify({ type: 'ping' }))
      if (!this.deadlineTimer) {
        // No answer to the ping in time: the connection is dead even if the socket does not know.
        this.deadlineTimer = setTimeout(() => {
          this.deadlineTimer = null
          const dead = this.socket
          this.socket = null
          this.stopHeartbeat()
          dead?.close(4000, 'heartbeat timeout')
          this.scheduleRetry()
        }, this.o.heartbeatTimeoutMs)
      }
    }, this.o.heartbeatMs)
  }

  private alive() {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer)
    this.deadlineTimer = null
  }

  private stopHeartbeat() {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = null
    this.alive()
  }
}
