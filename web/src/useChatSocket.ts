// One hook owns the chat connection: its status (for the indicator), sending, and reconnecting.
import { useCallback, useEffect, useRef, useState } from 'react'
import { ChatSocket, type ChatSocketOptions, type ConnectionStatus } from './chatSocket'
import type { ClientMessage, ServerEvent } from './protocol'

type Extra = Omit<ChatSocketOptions, 'url' | 'onEvent' | 'onStatus' | 'onFlushed'>

export interface ChatSocketHandle {
  status: ConnectionStatus
  nextAttemptAt: number | null
  send: (msg: ClientMessage, id?: string) => boolean
  reconnectNow: () => void
}

export function useChatSocket(
  url: string,
  onEvent: (e: ServerEvent) => void,
  onFlushed?: (id: string) => void,
  extra?: Extra,
): ChatSocketHandle {
  const [status, setStatus] = useState<ConnectionStatus>('connecting')
  const [nextAttemptAt, setNextAttemptAt] = useState<number | null>(null)
  const socket = useRef<ChatSocket | null>(null)
  const handlers = useRef({ onEvent, onFlushed })
  handlers.current = { onEvent, onFlushed }
  const extraRef = useRef(extra)

  useEffect(() => {
    const s = new ChatSocket({
      ...extraRef.current,
      url,
      onEvent: (e) => handlers.current.onEvent(e),
      onFlushed: (id) => handlers.current.onFlushed?.(id),
      onStatus: (st, at) => {
        setStatus(st)
        setNextAttemptAt(at)
      },
    })
    socket.current = s
    const online = () => s.reconnectNow()
    window.addEventListener('online', online)
    return () => {
      window.removeEventListener('online', online)
      s.close()
      socket.current = null
    }
  }, [url])

  const send = useCallback((msg: ClientMessage, id?: string) => socket.current?.send(msg, id) ?? false, [])
  const reconnectNow = useCallback(() => socket.current?.reconnectNow(), [])
  return { status, nextAttemptAt, send, reconnectNow }
}
