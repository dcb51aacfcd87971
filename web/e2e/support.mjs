// What the browser tests share: where the binaries and screenshots are, a free port, and waiting
// for a server to answer.
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'

export const repo = resolve(import.meta.dirname, '..', '..')
export const bin = process.env.PMS_BIN_DIR ?? join(repo, 'build', 'bin')
export const artifacts = join(repo, 'test-artifacts')
mkdirSync(artifacts, { recursive: true })

export const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })

export async function waitForHttp(url, ms = 15000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${url} did not answer`)
}
