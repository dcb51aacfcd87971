// The server's optional access token. It arrives in the link (".../#token=...") or is typed in
// when the API answers 401; it is kept for the browser session only and sent as a bearer header,
// and as ?token= on the WebSocket (browsers cannot set headers there).
const KEY = 'pms-assistant-token'

export function takeTokenFromUrl(loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location, history: Pick<History, 'replaceState'> = window.history) {
  const m = /(?:^#|&)token=([^&]+)/.exec(loc.hash)
  if (!m) return
  sessionStorage.setItem(KEY, decodeURIComponent(m[1]))
  history.replaceState(null, '', loc.pathname + loc.search) // keep it out of the address bar and history
}

export const getToken = (): string | null => sessionStorage.getItem(KEY)
export const setToken = (t: string) => sessionStorage.setItem(KEY, t.trim())

export function authHeaders(): Record<string, string> {
  const t = getToken()
  return t ? { Authorization: `Bearer ${t}` } : {}
}

export function withToken(wsUrl: string): string {
  const t = getToken()
  return t ? `${wsUrl}${wsUrl.includes('?') ? '&' : '?'}token=${encodeURIComponent(t)}` : wsUrl
}

export class AuthRequired extends Error {
  constructor() {
    super('this server needs an access token')
  }
}
