// Browser end-to-end tests: Debian's Chromium driven by playwright-core against the real
// pms-assistant (serving the built UI) and pms-scripted-llm (a test double streaming the Ollama
// wire format), all on 127.0.0.1. Screenshots of the main states go to test-artifacts/.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { artifacts, bin, freePort, repo, waitForHttp } from './support.mjs'

function start(cmd, args) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  p.log = ''
  p.stdout.on('data', (d) => (p.log += d))
  p.stderr.on('data', (d) => (p.log += d))
  return p
}

const stop = (p) =>
  new Promise((ok) => {
    if (!p || p.exitCode !== null) return ok()
    p.once('exit', ok)
    p.kill('SIGTERM')
  })

let dir, llm, server, serverPort, browser, page

// The model answers unless a turn asks for the planner (/q, Show more): the streaming tests need
// the scripted model, which the default --answer-mode auto would skip for questions the planner reads.
const serverArgs = () => [
  '--host', '127.0.0.1', '--port', String(serverPort), '--db', join(dir, 'pms.db'),
  '--ollama-host', `http://127.0.0.1:${llm.port}`, '--web-root', join(repo, 'web', 'dist'), '--answer-mode', 'model',
]

async function startServer() {
  server = start(join(bin, 'pms-assistant'), serverArgs())
  await waitForHttp(`http://127.0.0.1:${serverPort}/health`)
}

// Sends a question and waits until its answer exists, so lastAnswer() is never the previous one.
async function ask(text) {
  const answers = page.getByTestId('assistant-message')
  const before = await answers.count()
  const box = page.getByLabel('Your question')
  await box.fill(text)
  await box.press('Enter')
  await answers.nth(before).waitFor()
}

const lastAnswer = () => page.getByTestId('assistant-message').last()

// Waits until the last answer is finished and returns its text.
async function answerText(timeout = 10000) {
  await page.locator('[data-testid="assistant-message"]:last-of-type[data-state="done"]').waitFor({ timeout })
  return (await lastAnswer().locator('.markdown').allTextContents()).join('')
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pms-browser-'))
  const llmPort = await freePort()
  llm = start(join(bin, 'pms-scripted-llm'), ['--port', String(llmPort), '--delay-ms', '120'])
  llm.port = llmPort
  await waitForHttp(`http://127.0.0.1:${llmPort}/api/tags`)
  serverPort = await freePort()
  await startServer()
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  await page.goto(`http://127.0.0.1:${serverPort}/`)
})

after(async () => {
  await browser?.close()
  await stop(server)
  await stop(llm)
  rmSync(dir, { recursive: true, force: true })
})

describe('the chat page', () => {
  test('connects and suggests questions built from the data', async () => {
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
    const suggestions = page.getByRole('list', { name: 'Suggested questions' }).getByRole('button')
    await suggestions.first().waitFor()
    const texts = await suggestions.allTextContents()
    // The demo data has these projects and states; a fixed list would not name them.
    assert.ok(texts.some((t) => /Customer Portal|Mobile App|Billing Platform/.test(t)), texts.join(' | '))
    assert.ok(texts.some((t) => /In Progress/.test(t)), texts.join(' | '))
    await page.screenshot({ path: join(artifacts, '1-empty-conversation.png') })
  })

  test('an answer streams progressively, with a tool card that completes', async () => {
    await ask('How many projects are there?')
    const card = page.getByTestId('tool-card').last()
    await card.waitFor()
    await card.getByTestId('tool-line').filter({ hasText: /^count_documents · project · 6 · [\d.]+ ms$/ }).waitFor()
    // The answer must grow over several frames, not appear at once.
    const lengths = []
    const until = Date.now() + 8000
    while (Date.now() < until) {
      const text = await lastAnswer().locator('.markdown').allTextContents()
      lengths.push(text.join('').length)
      if ((await lastAnswer().getAttribute('data-state')) === 'done') break
      await page.waitForTimeout(60)
    }
    const distinct = [...new Set(lengths.filter((n) => n > 0))]
    assert.ok(distinct.length >= 3, `text grew through ${distinct.length} sizes: ${lengths.join(',')}`)
    assert.deepEqual(distinct, [...distinct].sort((a, b) => a - b), 'text only grows')
    assert.match(await answerText(), /\b6\b/)
    assert.match(await lastAnswer().getByTestId('stats').textContent(), /first token \d+ ms · [\d.]+ tokens\/s/)
    assert.equal(await lastAnswer().getByTestId('answered-by').textContent(), 'Answered by Model')
    await page.screenshot({ path: join(artifacts, '2-answer-with-tool-card.png') })
  })

  test('/q answers with the built-in planner: a tool card, a table, no model', async () => {
    await ask('/q open bugs by priority')
    await answerText()
    const table = lastAnswer().locator('.markdown table')
    await table.waitFor()
    const rows = await table.locator('tbody tr').allTextContents()
    assert.ok(rows.some((r) => /^HIGH\d+$/.test(r.replace(/\s/g, ''))), rows.join(' | '))
    const card = lastAnswer().getByTestId('tool-card').last()
    // Collapsed: one line, no query JSON above the answer.
    assert.match(await card.getByTestId('tool-line').textContent(), /^aggregate · workItem · .*by priority · \d+ rows · [\d.]+ ms$/)
    assert.equal(await card.getByLabel('Query').count(), 0, 'the query is hidden until asked for')
    const cardBox = await card.boundingBox()
    const textBox = await lastAnswer().locator('.markdown').first().boundingBox()
    assert.ok(cardBox.height < 50, `the card is one line (${cardBox.height} px)`)
    assert.ok(textBox.y - (cardBox.y + cardBox.height) < 30, 'the answer follows the card')
    await page.screenshot({ path: join(artifacts, '2b-planner-answer.png') })
    await card.getByRole('button', { expanded: false }).click()
    await card.getByLabel('Query').waitFor()
    assert.match(await card.getByLabel('Query').textContent(), /"\$group"/)
    assert.ok((await card.locator('table.tool-rows th').allTextContents()).includes('_id'), 'the group key is shown')
    assert.equal(await lastAnswer().getByTestId('answered-by').textContent(), 'Answered by Planner')
    assert.doesNotMatch(await lastAnswer().getByTestId('stats').textContent(), /tokens\/s/)
    await page.screenshot({ path: join(artifacts, '2c-tool-card-expanded.png') })
  })

  test('Download CSV gives the rows of the table on the page', async () => {
    const table = lastAnswer().getByTestId('answer-table')
    const shown = await table.locator('tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())))
    const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button', { name: 'Download CSV' }).click()])
    assert.equal(download.suggestedFilename(), 'priority-work-items.csv')
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '')
    assert.deepEqual(csv.trimEnd().split('\r\n').map((l) => l.split(',')), shown)
    assert.ok(shown.length >= 3, `header and rows: ${JSON.stringify(shown)}`)
  })

  test('a refusal suggests questions as buttons, and one click asks it', async () => {
    await ask('/q what is the weather in paris')
    await answerText()
    const buttons = lastAnswer().getByRole('list', { name: 'Questions I can answer' }).getByRole('button')
    assert.ok((await buttons.count()) >= 2, 'the suggestions are buttons')
    await page.screenshot({ path: join(artifacts, '2d-refusal-suggestions.png') })
    const question = (await buttons.first().textContent()).trim()
    const asked = page.getByTestId('user-message')
    const before = await asked.count()
    const answers = await page.getByTestId('assistant-message').count()
    await buttons.first().click()
    await asked.nth(before).filter({ hasText: question }).waitFor()
    await page.getByTestId('assistant-message').nth(answers).waitFor()
    assert.ok((await answerText()).length > 0, 'the suggested question was answered')
  })

  // A chart's marks, as Recharts draws them in SVG: one per bar, slice or point.
  const marks = { pie: '.recharts-pie-sector', hbar: '.recharts-bar-rectangle', bar: '.recharts-bar-rectangle', stacked_bar: '.recharts-bar-rectangle', line: '.recharts-line-dot' }

  // Stacked bars: a segment per period and series that has items (the table's cells between the period and its total).
  const segments = (table) => table.locator('tbody tr').evaluateAll((rows) => rows.flatMap((r) => [...r.cells].slice(1, -1)).filter((c) => Number(c.textContent) > 0).length)

  // Asks a planner question whose answer is a chart of `type` above its table, one mark per row.
  async function chartAnswer(question, type) {
    await ask(question)
    await answerText()
    const chart = lastAnswer().getByTestId('answer-chart')
    await chart.locator(marks[type]).first().waitFor()
    assert.equal(await chart.getAttribute('data-chart-type'), type)
    const table = lastAnswer().locator('.markdown table')
    const rows = await table.locator('tbody tr').count()
    assert.ok(rows >= 3, `the table stays, with its rows (${rows})`)
    const expected = type === 'stacked_bar' ? await segments(table) : rows
    assert.equal(await chart.locator(marks[type]).count(), expected, 'one mark per group')
    const image = chart.locator(':scope > [role="img"]') // its legend's icons are images too
    assert.match(await image.getAttribute('aria-label'), /\d/, 'the text alternative names groups and counts')
    assert.ok((await chart.locator('figcaption').textContent()).length > 0, 'the title is shown')
    const [chartBox, tableBox] = [await chart.boundingBox(), await lastAnswer().getByTestId('answer-table').boundingBox()]
    assert.ok(chartBox.y + chartBox.height <= tableBox.y + 1, 'the chart is above the table')
    return chart
  }

  test('a breakdown shows a chart with a mark per group above its table', async () => {
    const pie = await chartAnswer('/q open work items by priority', 'pie')
    assert.match(await pie.locator(':scope > [role="img"]').getAttribute('aria-label'), /MEDIUM \d+/)
    await page.screenshot({ path: join(artifacts, '2e-chart-pie.png') })
    const bars = await chartAnswer('/q work items by assignee', 'hbar')
    await bars.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifacts, '2f-chart-hbar.png') })
  })

  test('a breakdown of few short labels stands as a vertical bar per group on one baseline, the list kept at its bottom', async () => {
    const chart = await chartAnswer('/q total estimate by priority', 'bar')
    const bars = await chart.locator(marks.bar).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, bottom: r.bottom })))
    assert.ok(bars.every((b, i) => i === 0 || b.x > bars[i - 1].x), `the bars stand side by side: ${JSON.stringify(bars)}`)
    assert.ok(bars.every((b) => Math.abs(b.bottom - bars[0].bottom) < 1), `on one baseline: ${JSON.stringify(bars)}`)
    // The chart draws after its library loads, later than the answer: the list still follows to its end.
    const gap = await page.locator('.messages').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)
    assert.ok(gap < 48, `the latest answer is not cut off (${gap} px below the view)`)
    await page.screenshot({ path: join(artifacts, '2f2-chart-bar.png') })
  })

  test('a per-week question draws a line through a point per week', async () => {
    const chart = await chartAnswer('/q work items created per week since October', 'line')
    const path = await chart.locator('path.recharts-line-curve').getAttribute('d')
    assert.ok(path && path.split(/[LC]/).length >= 3, `the line has segments: ${path}`)
    await chart.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifacts, '2g-chart-line.png') })
    // The chart is stored with the answer: the reloaded conversation draws it again.
    const points = await chart.locator(marks.line).count()
    await page.reload()
    const again = lastAnswer().getByTestId('answer-chart')
    await again.locator(marks.line).first().waitFor()
    assert.equal(await again.getAttribute('data-chart-type'), 'line')
    assert.equal(await again.locator(marks.line).count(), points)
  })

  test('the latest answer offers the server\'s follow-ups as buttons; one click asks it in the same conversation', async () => {
    await ask('/q open work items by priority')
    await answerText()
    const conversation = page.url()
    const buttons = lastAnswer().getByRole('list', { name: 'Ask next:' }).getByRole('button')
    const count = await buttons.count()
    assert.ok(count >= 1 && count <= 3, `one to three follow-ups (${count})`)
    const question = (await buttons.first().textContent()).trim()
    await buttons.first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifacts, '2i-follow-ups.png') })
    const answers = page.getByTestId('assistant-message')
    const before = await answers.count()
    await buttons.first().click()
    await page.getByTestId('user-message').last().filter({ hasText: question }).waitFor()
    await answers.nth(before).waitFor()
    assert.ok((await answerText()).length > 0, 'the follow-up was answered')
    assert.equal(page.url(), conversation, 'in the same conversation')
    assert.equal(await answers.nth(before - 1).getByRole('list', { name: 'Ask next:' }).count(), 0, 'only the latest answer offers follow-ups')
  })

  test('on a phone (390 px, dark) a chart fits its bubble and the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.emulateMedia({ colorScheme: 'dark' })
    try {
      const chart = await chartAnswer('/q work items created per month this year by priority', 'stacked_bar')
      const fit = await chart.evaluate((el) => {
        const svg = el.querySelector(':scope > [role="img"] svg.recharts-surface').getBoundingClientRect()
        const bubble = el.closest('[data-testid="assistant-message"]').getBoundingClientRect()
        return { page: document.documentElement.scrollWidth, svgRight: svg.right, bubbleRight: bubble.right, svgLeft: svg.left, bubbleLeft: bubble.left }
      })
      assert.ok(fit.page <= 390, `page is ${fit.page} px wide`)
      assert.ok(fit.svgLeft >= fit.bubbleLeft && fit.svgRight <= fit.bubbleRight, `the chart fits its bubble: ${JSON.stringify(fit)}`)
      await chart.scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(artifacts, '2h-chart-phone-dark.png') })
    } finally {
      await page.setViewportSize({ width: 1200, height: 800 })
      await page.emulateMedia({ colorScheme: 'light' })
    }
  })

  test('Stop ends the answer and keeps what was written', async () => {
    await ask('How many work items are there?')
    await lastAnswer().locator('.markdown').first().waitFor() // some text streamed
    await page.getByRole('button', { name: 'Stop' }).click()
    await lastAnswer().getByText('Stopped.').waitFor()
    assert.ok((await lastAnswer().locator('.markdown').textContent()).length > 0)
    await page.screenshot({ path: join(artifacts, '3-stopped.png') })
    await ask('How many cycles are there?')
    assert.match(await answerText(), /\b36\b/)
  })

  test('reconnects by itself after the server restarts', async () => {
    await stop(server)
    await page.getByTestId('connection').filter({ hasText: /Reconnecting|Offline/ }).waitFor()
    await page.screenshot({ path: join(artifacts, '4-reconnecting.png') })
    await startServer()
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 20000 })
    await ask('How many modules are there?')
    assert.match(await answerText(), /\b24\b/)
  })

  test('a conversation reloads from the sidebar after a page reload', async () => {
    await page.reload()
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
    const sidebar = page.getByRole('navigation', { name: 'Conversations' })
    await sidebar.getByText('How many projects are there?').click()
    await page.getByTestId('user-message').first().getByText('How many projects are there?').waitFor()
    await page.getByTestId('tool-card').first().getByTestId('tool-line').filter({ hasText: /^count_documents · project · 6$/ }).waitFor()
    // The stored answers say which path wrote them.
    assert.equal(await page.getByTestId('assistant-message').first().getByTestId('answered-by').textContent(), 'Answered by Model')
    await page.screenshot({ path: join(artifacts, '5-reloaded-conversation.png') })
  })

  test('the address holds the conversation: /c/<id> survives a reload, Back and Forward move between them', async () => {
    const path = () => new URL(page.url()).pathname
    const first = path()
    assert.match(first, /^\/c\/[0-9a-f-]{36}$/, 'the opened conversation is in the address')
    await page.getByRole('button', { name: '+ New conversation' }).click()
    assert.equal(path(), '/')
    await ask('/q how many cycles are there?')
    await answerText()
    await page.waitForURL(/\/c\//)
    const second = path()
    assert.notEqual(second, first)
    await page.reload()
    await page.getByTestId('user-message').first().getByText('/q how many cycles are there?').waitFor()
    assert.equal(path(), second)
    await page.screenshot({ path: join(artifacts, '5b-reloaded-at-its-address.png') })
    await page.goBack() // the empty page the new conversation started from was replaced by its address
    await page.getByTestId('user-message').first().getByText('How many projects are there?').waitFor()
    assert.equal(path(), first)
    await page.goForward()
    await page.getByTestId('user-message').first().getByText('/q how many cycles are there?').waitFor()
    await page.goto(`http://127.0.0.1:${serverPort}/c/00000000-0000-0000-0000-000000000000`)
    await page.waitForURL(`http://127.0.0.1:${serverPort}/`) // an unknown conversation leaves an empty page at /
    assert.equal(await page.getByTestId('user-message').count(), 0)
  })

  test('the sidebar groups conversations by day, titles them by the plan and searches their answers on the server', async () => {
    const sidebar = page.getByRole('navigation', { name: 'Conversations' })
    const today = sidebar.getByRole('region', { name: 'Today' })
    // The planner's reading of the question names the conversation; the model's answer leaves its first words.
    await today.getByText('Count cycles', { exact: true }).waitFor()
    await today.getByText('How many projects are there?').waitFor()
    const search = sidebar.getByRole('searchbox', { name: 'Search conversations' })
    await search.fill('CYCLES')
    await sidebar.getByText('How many projects are there?').waitFor({ state: 'detached' })
    assert.equal(await sidebar.locator('.conv').count(), 1)
    // A word of an answer (the open bugs' table), in no title: only the server's search finds it.
    const searched = page.waitForResponse((r) => r.url().includes('/api/conversations?q=urgent'))
    await search.fill('urgent')
    assert.equal((await searched).status(), 200)
    await sidebar.getByText('How many projects are there?').waitFor()
    assert.equal(await sidebar.locator('.conv').count(), 1)
    await page.screenshot({ path: join(artifacts, '5e-search-by-answer.png') })
    await search.fill('no such word')
    await sidebar.getByText('No conversation has “no such word”.').waitFor()
    await search.fill('')
    assert.equal(await sidebar.locator('.conv').count(), 2)
    await page.screenshot({ path: join(artifacts, '5f-sidebar-by-day.png') })
  })

  test('a renamed conversation keeps its name after a reload', async () => {
    const sidebar = page.getByRole('navigation', { name: 'Conversations' })
    await sidebar.getByRole('button', { name: 'Rename conversation Count cycles' }).click()
    const box = sidebar.getByRole('textbox', { name: 'New title' })
    await box.fill('Sprint counts')
    await page.screenshot({ path: join(artifacts, '5g-renaming.png') })
    await box.press('Enter')
    await sidebar.getByText('Sprint counts').waitFor()
    await page.reload()
    await sidebar.getByText('Sprint counts').waitFor()
    assert.equal(await sidebar.getByText('Count cycles', { exact: true }).count(), 0)
  })

  test('thumbs up or down on an answer, live or reloaded, survive a reload and are counted', async () => {
    const sidebar = page.getByRole('navigation', { name: 'Conversations' })
    await sidebar.getByText('Sprint counts').click()
    await page.getByTestId('user-message').first().getByText('/q how many cycles are there?').waitFor()
    const saved = () => page.waitForResponse((r) => r.url().includes('/feedback') && r.request().method() === 'PUT')
    const good = lastAnswer().getByRole('button', { name: 'Good answer' })
    let put = saved()
    await good.click()
    assert.equal((await put).status(), 200)
    assert.equal(await good.getAttribute('aria-pressed'), 'true')
    // A live answer can be rated as soon as it is stored.
    await ask('/q how many modules are there?')
    await answerText()
    const bad = lastAnswer().getByRole('button', { name: 'Bad answer' })
    put = saved()
    await bad.click()
    assert.equal((await put).status(), 200)
    await page.screenshot({ path: join(artifacts, '5h-rated-answers.png') })
    await page.reload()
    const answers = page.getByTestId('assistant-message')
    await answers.nth(1).waitFor()
    assert.equal(await answers.nth(0).getByRole('button', { name: 'Good answer' }).getAttribute('aria-pressed'), 'true')
    assert.equal(await answers.nth(0).getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed'), 'false')
    assert.equal(await answers.nth(1).getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed'), 'true')
    const status = await (await fetch(`http://127.0.0.1:${serverPort}/api/status`)).json()
    assert.deepEqual(status.feedback, { up: 1, down: 1 })
  })

  test('Show more appends the next rows to the table in place, asking the planner; Show all is offered', async () => {
    await page.getByRole('button', { name: '+ New conversation' }).click()
    const sent = []
    const onSocket = (ws) => ws.on('framesent', ({ payload }) => sent.push(JSON.parse(payload)))
    page.on('websocket', onSocket)
    await page.reload() // the listener sees the socket from its start
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
    await ask('/q list open items in Mobile App')
    await answerText()
    const answer = lastAnswer()
    const rows = answer.locator('.markdown table tbody tr')
    const numbers = () => rows.evaluateAll((trs) => trs.map((tr) => tr.cells[0].textContent.trim()))
    const firstPage = await numbers()
    assert.equal(firstPage.length, 10)
    const control = answer.getByTestId('page-control')
    await control.getByText('Showing 10 of 30.').waitFor({ timeout: 5000 })
    assert.ok(await control.getByRole('button', { name: 'Show all 30' }).isVisible(), 'Show all is offered under 500 rows')
    const questions = await page.getByTestId('user-message').count()
    const more = control.getByRole('button', { name: 'Show 10 more of 20 remaining' })
    await more.click()
    await control.getByText('Showing 20 of 30.').waitFor()
    const twoPages = await numbers()
    const said = () => answer.locator('.markdown').textContent()
    assert.match(await said(), /\b10 more: say/, 'the answer says what is left now')
    assert.doesNotMatch(await said(), /\b20 more/)
    assert.deepEqual(twoPages.slice(0, 10), firstPage, 'the first rows stay where they were')
    assert.equal(new Set(twoPages).size, 20, `20 different rows: ${twoPages.join(' ')}`)
    assert.equal(await page.getByTestId('assistant-message').count(), questions, 'one table grows; no new answer')
    assert.equal(await page.getByTestId('user-message').count(), questions, 'the Show more question is not shown')
    const next = control.getByRole('button', { name: 'Show 10 more of 10 remaining' })
    assert.ok(await next.evaluate((el) => el === document.activeElement), 'focus stays on the control')
    await page.screenshot({ path: join(artifacts, '5c-show-more.png') })
    await next.click()
    await control.getByText('All 30 rows are shown.').waitFor()
    const all = await numbers()
    assert.doesNotMatch(await said(), /more: say/)
    assert.equal(new Set(all).size, 30)
    assert.equal(await control.getByRole('button').count(), 0, 'nothing more to ask for')
    assert.ok(await control.getByText('All 30 rows are shown.').evaluate((el) => el === document.activeElement), 'focus moves to the line that says so')
    const paging = sent.filter((m) => m.type === 'message' && m.mode === 'planner')
    assert.equal(paging.length, 2, JSON.stringify(sent))
    assert.ok(paging.every((m) => m.conversation_id && m.conversation_id === paging[0].conversation_id), 'in the same conversation')
    page.off('websocket', onSocket)
    // Reloaded from the server, the conversation still shows every row once, in order.
    await page.reload()
    await page.getByTestId('user-message').first().getByText('/q list open items in Mobile App').waitFor()
    const reloaded = await page.locator('.markdown table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.cells[0].textContent.trim()))
    assert.deepEqual(reloaded, all)
    await page.screenshot({ path: join(artifacts, '5d-show-more-reloaded.png') })
  })

  test('a server with an access token asks for it, and works with it', async () => {
    await stop(server)
    server = start(join(bin, 'pms-assistant'), [...serverArgs(), '--auth-token', 'tok-123'])
    await waitForHttp(`http://127.0.0.1:${serverPort}/health`)
    const guarded = await browser.newPage()
    await guarded.goto(`http://127.0.0.1:${serverPort}/`)
    await guarded.getByLabel('Access token').fill('tok-123')
    await guarded.getByRole('button', { name: 'Continue' }).click()
    await guarded.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
    await guarded.getByText('How many projects are there?').first().waitFor() // the sidebar loaded with the token
    const linked = await browser.newPage()
    await linked.goto(`http://127.0.0.1:${serverPort}/#token=tok-123`)
    await linked.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
    assert.equal(new URL(linked.url()).hash, '', 'the token left the address bar')
    await guarded.close()
    await linked.close()
    await stop(server)
    await startServer()
  })

  test('the question box has focus on load, and the skip link leads to it', async () => {
    await page.reload()
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'question')
    // Start the Tab order at the top of the page, as it is after following a link into it.
    await page.evaluate(() => {
      document.body.tabIndex = -1
      document.body.focus()
      document.body.removeAttribute('tabindex')
    })
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to the question box' })
    assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the skip link is the first stop')
    assert.ok(await skip.isVisible(), 'and is visible when focused')
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'question')
  })

  test('on a phone (390×844, dark) the drawer leaves its button uncovered and closes on Escape and a tap outside', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.emulateMedia({ colorScheme: 'dark' })
    const menu = page.getByRole('button', { name: 'Conversations' })
    const drawer = page.getByRole('navigation', { name: 'Conversations' })
    await drawer.waitFor({ state: 'hidden' }) // closed at first
    await page.screenshot({ path: join(artifacts, '6-phone-dark.png') })
    await menu.click()
    await drawer.waitFor()
    await page.waitForTimeout(300) // the drawer slides in
    await page.screenshot({ path: join(artifacts, '7-phone-dark-menu.png') })
    const onTop = await menu.evaluate((el) => {
      const r = el.getBoundingClientRect()
      return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2))
    })
    assert.ok(onTop, 'the menu button is not covered by the open drawer')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    assert.equal(await menu.getAttribute('aria-expanded'), 'false')
    assert.ok(await menu.evaluate((el) => el === document.activeElement), 'focus is back on the button')
    await menu.click()
    await drawer.waitFor()
    await page.mouse.click(370, 500) // on the dimmed page beside the drawer
    await drawer.waitFor({ state: 'hidden' })
    await menu.click()
    await drawer.waitFor()
    await menu.click() // its own button closes it too
    await drawer.waitFor({ state: 'hidden' })
  })

  test('no sideways scrolling of the page at 360 px; a wide table scrolls in its bubble, with a cue', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.emulateMedia({ colorScheme: 'light' })
    await ask('/q list open bugs in Mobile App')
    await answerText()
    const scroller = lastAnswer().locator('.table-scroll')
    await lastAnswer().getByTestId('scroll-cue').waitFor()
    const { pageWidth, inner, outer } = await scroller.evaluate((el) => ({
      pageWidth: document.documentElement.scrollWidth, inner: el.scrollWidth, outer: el.clientWidth,
    }))
    assert.ok(pageWidth <= 360, `page is ${pageWidth} px wide`)
    assert.ok(inner > outer, `the table (${inner} px) is wider than its bubble (${outer} px)`)
    await lastAnswer().getByTestId('tool-card').last().getByRole('button', { expanded: false }).click()
    await lastAnswer().getByLabel('Query').waitFor()
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'an open tool card stays inside the page')
    await page.screenshot({ path: join(artifacts, '8-phone-360-wide-table.png') })
    await page.setViewportSize({ width: 1200, height: 800 })
  })
})
