import { useEffect, useState } from 'react'
import type { ConnectionStatus } from '../chatSocket'

const LABEL: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
}

export function ConnectionIndicator(props: { status: ConnectionStatus; nextAttemptAt: number | null; onReconnect: () => void }) {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (!props.nextAttemptAt) return
    const t = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(t)
  }, [props.nextAttemptAt])
  const seconds = props.nextAttemptAt ? Math.max(0, Math.ceil((props.nextAttemptAt - now) / 1000)) : null
  const waiting = props.status === 'reconnecting' || props.status === 'offline'
  return (
    <div className={`connection connection-${props.status}`} role="status" aria-live="polite" data-testid="connection">
      <span className="dot" aria-hidden="true" />
      <span>
        {LABEL[props.status]}
        {waiting && seconds !== null ? ` in ${seconds}s` : ''}
      </span>
      {waiting && (
        <button type="button" className="link" onClick={props.onReconnect}>
          Reconnect now
        </button>
      )}
    </div>
  )
}
