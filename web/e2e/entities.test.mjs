// Browser end-to-end tests of the links answers carry (issue 18, section 2): Chromium against the
// real pms-assistant with --llm none (the planner answers), once with --item-url-template (an item
// number links to the PMS) and once without (it opens the chat's detail panel). The item and its
// project are read from the database file, not assumed. Screenshots go to test-artifacts/.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { artifacts, bin, freePort, repo, waitForHttp } from './support.mjs'

const TEMPLATE = 'https://pms.example.com/{projectDisplayId}/{displayBugNo}'

async function startServer(db, extra) {
  const port = await freePort()
  const p = spawn(join(bin, 'pms-assistant'), ['--host', '127.0.0.1', '--port', String(port), '--db', db, '--llm', 'none',
    '--web-root', join(repo, 'web', 'dist'), ...extra], { stdio: 'ignore' })
  await waitForHttp(`http://127.0.0.1:${port}/health`)
  return { p, port }
}

const stop = (p) =>
  new Promise((ok) => {
    if (!p || p.exitCode !== null) return ok()
    p.once('exit', ok)
    p.kill('SIGTERM')
  })

// The stored documents matching `filter`, read with pms-data.
const query = (db, collection, filter) =>
  execFileSync(join(bin, 'pms-data'), ['--db', db, 'query', collection, '--filter', JSON.stringify(filter)], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => JSON.parse(l))

let dir, db, browser, linked, unlinked

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pms-entities-'))
  db = join(dir, 'pms.db')
  linked = await startServer(db, ['--item-url-template', TEMPLATE]) // creates the demo database
  unlinked = await startServer(db, [])
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  })
})

after(async () => {
  await browser?.close()
  await stop(linked?.p)
  await stop(unlinked?.p)
  rmSync(dir, { recursive: true, force: true })
})

// Asks for a list of work items and returns the page and its answer's first row: number and title.
async function listItems(server, viewport) {
  const page = await browser.newPage({ viewport })
  await page.goto(`http://127.0.0.1:${server.port}/`)
  await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
  const box = page.getByLabel('Your question')
  await box.fill('list the open work items')
  await box.press('Enter')
  const answer = page.locator('[data-testid="assistant-message"][data-state="done"]').last()
  await answer.waitFor({ timeout: 15000 })
  const row = answer.locator('table tbody tr').first()
  const [number, title] = await Promise.all([row.locator('td').nth(0).innerText(), row.locator('td').nth(1).innerText()])
  return { page, answer, row, number: number.trim(), title: title.trim() }
}

describe('names in answers', () => {
  test('with --item-url-template an item number is a link to the PMS, its href from the template', async () => {
    const { page, row, number } = await listItems(linked, { width: 1200, height: 800 })
    const [item] = query(db, 'workItem', { displayBugNo: number })
    assert.ok(item, `no stored work item ${number}`)
    const [project] = query(db, 'project', { _id: item.project._id })
    const link = row.locator('td').nth(0).getByRole('link', { name: number })
    assert.equal(await link.getAttribute('href'), `https://pms.example.com/${project.projectDisplayId}/${number}`)
    assert.equal(await link.getAttribute('target'), '_blank')
    await page.screenshot({ path: join(artifacts, 'entities-1-item-links.png') })
    await page.close()
  })

  test('without it the number opens the detail panel, which closes on Escape (desktop)', async () => {
    const { page, row, number, title } = await listItems(unlinked, { width: 1200, height: 800 })
    const opener = row.locator('td').nth(0).getByRole('button', { name: number })
    await opener.click()
    const dialog = page.getByRole('dialog', { name: title })
    await dialog.waitFor()
    assert.match(await dialog.innerText(), new RegExp(number))
    // The item's project is there, and opens the project in turn.
    const [item] = query(db, 'workItem', { displayBugNo: number })
    await page.screenshot({ path: join(artifacts, 'entities-2-item-panel.png') })
    await dialog.getByRole('button', { name: item.project.name }).click()
    await page.getByRole('dialog', { name: item.project.name }).waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    assert.equal(await opener.evaluate((el) => el === document.activeElement), true)
    await page.close()
  })

  test('the panel fits a phone (390×844) and closes on a tap outside', async () => {
    const { page, row, number, title } = await listItems(unlinked, { width: 390, height: 844 })
    await row.locator('td').nth(0).getByRole('button', { name: number }).click()
    const dialog = page.getByRole('dialog', { name: title })
    await dialog.waitFor()
    const box = await dialog.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390 + 0.5, JSON.stringify(box))
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true)
    await page.screenshot({ path: join(artifacts, 'entities-3-item-panel-phone.png') })
    await page.locator('.entity-backdrop').click({ position: { x: 5, y: 400 } })
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.close()
  })

  test('typing an item number in the composer offers the item, and the chosen mention is asked', async () => {
    const { page, number, title } = await listItems(unlinked, { width: 1200, height: 800 })
    const box = page.getByLabel('Your question')
    await box.pressSequentially(`details of ${number}`)
    const option = page.getByRole('listbox', { name: 'Matching items, people and projects' }).getByRole('option').first()
    await option.waitFor()
    assert.match(await option.innerText(), new RegExp(`${number} · ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    await page.screenshot({ path: join(artifacts, 'entities-4-composer-mention.png') })
    await box.press('Tab')
    assert.equal(await box.inputValue(), `details of ${number} `)
    await box.press('Enter')
    const answer = page.locator('[data-testid="assistant-message"][data-state="done"]').nth(1)
    await answer.waitFor({ timeout: 15000 })
    assert.match(await answer.innerText(), new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    await page.close()
  })
})
