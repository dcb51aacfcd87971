// The server's optional access token and tenant token. Both arrive in the link
// (".../#token=...&tenant=..."); the access token can also be typed in when the API answers 401.
// They are kept for the browser session only, sent as headers (Authorization, X-PMS-Tenant), and
// as ?token= / ?tenant= on the WebSocket (browsers cannot set headers there).
const KEY = 'pms-assistant-token'
const TENANT_KEY = 'pms-assistant-tenant'

export function takeTokenFromUrl(loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location, history: Pick<History, 'replaceState'> = window.history) {
  const token = /(?:^#|&)token=([^&]+)/.exec(loc.hash)
  const tenant = /(?:^#|&)tenant=([^&]+)/.exec(loc.hash)
  if (!token && !tenant) return
  if (token) sessionStorage.setItem(KEY, decodeURIComponent(token[1]))
  if (tenant) sessionStorage.setItem(TENANT_KEY, decodeURIComponent(tenant[1]))
  history.replaceState(null, '', loc.pathname + loc.search) // keep them out of the address bar and history
}

export const getToken = (): string | null => sessionStorage.getItem(KEY)
export const setToken = (t: string) => sessionStorage.setItem(KEY, t.trim())
const getTenant = (): string | null => sessionStorage.getItem(TENANT_KEY)

export function authHeaders(): Record<string, string> {
  const t = getToken()
  const tenant = getTenant()
  return { ...(t ? { Authorization: `Bearer ${t}` } : {}), ...(tenant ? { 'X-PMS-Tenant': tenant } : {}) }
}

export function withToken(wsUrl: string): string {
  const params = [
    ['token', getToken()],
    ['tenant', getTenant()],
  ].filter((p): p is [string, string] => p[1] !== null)
  return params.reduce((url, [k, v]) => `${url}${url.includes('?') ? '&' : '?'}${k}=${encodeURIComponent(v)}`, wsUrl)
}

export class AuthRequired extends Error {
  constructor() {
    super('this server needs an access token')
  }
}
