// Browser end-to-end tests of the project scope (issue 18, section 3): Chromium against the real
// pms-assistant with --llm none (the planner answers) on the demo database. The project and every
// count are read from the page, not assumed. Screenshots go to test-artifacts/.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { artifacts, bin, freePort, repo, waitForHttp } from './support.mjs'

let dir, server, base, browser, page, project

const stop = (p) =>
  new Promise((ok) => {
    if (!p || p.exitCode !== null) return ok()
    p.once('exit', ok)
    p.kill('SIGTERM')
  })

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pms-scope-'))
  const port = await freePort()
  server = spawn(join(bin, 'pms-assistant'), ['--host', '127.0.0.1', '--port', String(port), '--db', join(dir, 'pms.db'), '--llm', 'none',
    '--web-root', join(repo, 'web', 'dist')], { stdio: 'ignore' })
  base = `http://127.0.0.1:${port}`
  await waitForHttp(`${base}/health`)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
})

after(async () => {
  await browser?.close()
  await stop(server)
  rmSync(dir, { recursive: true, force: true })
})

const selector = (p) => p.getByLabel('Project', { exact: true })
const chip = (p) => p.getByTestId('scope-chip')

async function open(p, path) {
  await p.goto(`${base}${path}`)
  await p.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
  await selector(p).locator('option').nth(1).waitFor({ state: 'attached' }) // the projects have loaded
}

// Asks a question and returns the number its finished answer gives.
async function count(p, question) {
  const answers = p.locator('[data-testid="assistant-message"][data-state="done"]')
  const before = await answers.count()
  const box = p.getByLabel('Your question')
  await box.fill(question)
  await box.press('Enter')
  await answers.nth(before).waitFor({ timeout: 15000 })
  const text = await answers.nth(before).locator('.markdown').first().innerText()
  const n = text.match(/\b(\d+)\b/)
  assert.ok(n, `no number in the answer to "${question}": ${text}`)
  return Number(n[1])
}

describe('the project scope', () => {
  test('the scope chip limits the answer', async () => {
    await open(page, '/')
    assert.equal(await chip(page).count(), 0, 'a new conversation asks about all projects')
    // The first project offered, its name and short id as the selector shows them.
    const label = (await selector(page).locator('option').nth(1).innerText()).trim()
    const [name, shortId] = label.split(' · ')
    project = { label, name, shortId }
    assert.ok(name && shortId, `the option names the project and its short id: ${label}`)

    const total = await count(page, 'how many work items')
    const named = await count(page, `how many work items in ${name}`)

    await page.getByRole('button', { name: '+ New conversation' }).click()
    await selector(page).selectOption({ label })
    await chip(page).waitFor()
    assert.equal(await chip(page).innerText().then((t) => t.replace(/\s+/g, ' ').trim()), `Answers only about ${label} ×`)
    await page.screenshot({ path: join(artifacts, 'scope-1-chosen.png') })
    const scoped = await count(page, 'how many work items')
    assert.equal(scoped, named, `limited to ${name}, "how many work items" counts what "… in ${name}" does`)
    assert.notEqual(scoped, total, 'and not every project\'s work items')
    assert.equal(await page.getByTestId('user-message').last().locator('.scope-asked').innerText(), `Only ${label}`)
    await page.waitForURL(/\/c\/[^/]+$/)
    await page.screenshot({ path: join(artifacts, 'scope-2-scoped-answer.png') })
  })

  test('an empty conversation limited to a project suggests questions about that project alone', async () => {
    await open(page, '/')
    const names = (await selector(page).locator('option').allInnerTexts()).slice(1).map((t) => t.split(' · ')[0].trim())
    await selector(page).selectOption({ label: project.label })
    const suggestions = page.getByRole('list', { name: 'Suggested questions' })
    await suggestions.getByText(project.name, { exact: false }).first().waitFor()
    const texts = (await suggestions.getByRole('button').allInnerTexts()).join('\n')
    for (const other of names.filter((n) => n !== project.name && !project.name.includes(n)))
      assert.ok(!texts.includes(other), `no suggestion names ${other}: ${texts}`)
    await page.screenshot({ path: join(artifacts, 'scope-2b-suggestions-for-project.png') })
    await page.goBack() // to the scoped conversation the next test reloads
    await page.waitForURL(/\/c\/[^/]+$/)
  })

  test('a reload of the conversation restores its scope, and × goes back to all projects', async () => {
    await open(page, new URL(page.url()).pathname)
    await chip(page).waitFor()
    assert.match(await chip(page).innerText(), new RegExp(project.name))
    assert.equal(await selector(page).locator('option:checked').innerText(), project.label)
    await page.screenshot({ path: join(artifacts, 'scope-3-restored.png') })
    await chip(page).getByRole('button').click()
    await chip(page).waitFor({ state: 'detached' })
    assert.equal(await selector(page).inputValue(), '')
    assert.equal(await selector(page).evaluate((el) => el === document.activeElement), true, 'the focus goes to the selector')
  })

  test('/?project=<short id> opens a new conversation in that project', async () => {
    await open(page, `/?project=${project.shortId.toLowerCase()}`)
    await chip(page).waitFor()
    assert.match(await chip(page).innerText(), new RegExp(project.name))
    assert.equal(await page.getByTestId('user-message').count(), 0, 'a fresh conversation')
    assert.equal(new URL(page.url()).search, '', 'the address no longer carries it')
    await page.screenshot({ path: join(artifacts, 'scope-4-from-address.png') })
  })

  test('an unknown ?project= says so and stays on all projects', async () => {
    await open(page, '/?project=NO-SUCH-PROJECT')
    const notice = page.locator('.scope-bar').getByRole('alert')
    await notice.waitFor()
    assert.match(await notice.innerText(), /NO-SUCH-PROJECT.*all projects/)
    assert.equal(await chip(page).count(), 0)
    assert.equal(await selector(page).inputValue(), '')
    await page.screenshot({ path: join(artifacts, 'scope-5-unknown-project.png') })
  })

  test('a project the server does not know ends the turn with its error, shown where the answer would be', async () => {
    // A project that went away after the list was read: the list offered here has one more.
    await page.route('**/api/projects', async (route) => {
      const { projects } = await (await route.fetch()).json()
      await route.fulfill({ json: { projects: [...projects, { id: 'gone-project', short_id: 'GONE', name: 'Gone Project' }] } })
    })
    await open(page, '/')
    await selector(page).selectOption({ label: 'Gone Project · GONE' })
    const box = page.getByLabel('Your question')
    await box.fill('how many work items')
    await box.press('Enter')
    const failed = page.locator('[data-testid="assistant-message"][data-state="error"]')
    await failed.waitFor({ timeout: 15000 })
    assert.match(await failed.innerText(), /GONE|gone-project/)
    assert.match(await failed.innerText(), /Choose a project in the list above the question box/)
    await page.screenshot({ path: join(artifacts, 'scope-5b-unknown-project-error.png') })
    await page.unroute('**/api/projects')
  })

  test('the selector and the chip fit a phone (390×844, dark)', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
    await open(phone, `/?project=${project.shortId}`)
    await chip(phone).waitFor()
    await count(phone, 'how many work items')
    for (const el of [selector(phone), chip(phone), phone.getByLabel('Your question')]) {
      const box = await el.boundingBox()
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390 + 0.5, JSON.stringify(box))
    }
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth <= 390), true)
    await phone.screenshot({ path: join(artifacts, 'scope-6-phone-dark.png') })
    await phone.close()
  })
})
