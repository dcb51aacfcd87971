// The conversation an address names: /c/<id>. The server gives index.html for such paths
// (client-side routes, see server/static_files.cpp). Pure.
const PREFIX = '/c/'

export function conversationFromPath(pathname: string): string | null {
  if (!pathname.startsWith(PREFIX)) return null
  const rest = pathname.slice(PREFIX.length).replace(/\/$/, '')
  if (!rest || rest.includes('/')) return null
  try {
    return decodeURIComponent(rest)
  } catch {
    return null
  }
}

export function pathFor(conversationId: string | null): string {
  return conversationId ? `${PREFIX}${encodeURIComponent(conversationId)}` : '/'
}
