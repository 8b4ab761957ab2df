import type { Browser, Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** How far the card's face has slid (its transform's x), in px. */
const slid = (card: Locator) =>
  card.locator('[data-card-face]').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).m41)

/** Issue 18: on a phone, records lists are cards with swipe actions, not a table squeezed to 375 px. */
describe('lists on a phone', () => {
  it('leads are cards; a swipe shows Ligar and WhatsApp without opening the lead; Tab reaches them too', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    // A name and an e-mail with nowhere to break: the card cuts them, the page stays as wide as the phone.
    const long = `Nomemuitocompridosemespaco${Date.now().toString(36)}`.repeat(3)
    const res = await page.request.post('/api/trpc/leads.create', {
      data: { data: { name: long, email: `${long.toLowerCase().slice(0, 60)}@example.test` } },
    })
    expect(res.status()).toBe(200)
    await open(page, '/app/leads')
    await page.getByText(long).first().waitFor({ state: 'attached' })
    const cards = page.getByTestId('record-card')
    expect(await cards.count()).toBe(25)
    expect(await page.getByTestId('lead-row').first().isVisible()).toBe(false)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    const card = cards.filter({ has: page.getByRole('link', { name: /^Ligar para/ }) }).first()
    const name = await card.getByRole('link').first().innerText()
    expect(await card.innerText()).toMatch(/Novo|Contatado|Qualificado|Convertido|Perdido/)

    // A finger (here the mouse: the same pointer events) drags the card to the left.
    // Other specs' leads may come first, without a phone: this card can be below the fold.
    await card.scrollIntoViewIfNeeded()
    const box = (await card.boundingBox())!
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + box.width - 20, y)
    await page.mouse.down()
    for (const x of [300, 260, 220, 180, 150]) await page.mouse.move(x, y)
    await page.mouse.up()
    await expect.poll(() => slid(card)).toBe(-160)
    expect(new URL(page.url()).pathname).toBe('/app/leads')
    const call = card.getByRole('link', { name: /^Ligar para/ })
    expect(await call.getAttribute('href')).toMatch(/^tel:\+55\d{10,11}$/)
    const callBox = (await call.boundingBox())!
    expect(callBox.x + callBox.width).toBeLessThanOrEqual(375)
    // A short drag back closes it.
    await page.mouse.move(box.x + 40, y)
    await page.mouse.down()
    for (const x of [80, 140, 200]) await page.mouse.move(x, y)
    await page.mouse.up()
    await expect.poll(() => slid(card)).toBe(0)

    // Without the gesture: focus on an action slides the card open.
    await card.getByRole('link').first().focus()
    await page.keyboard.press('Tab')
    await expect.poll(() => slid(card)).toBe(-160)
    expect(await call.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('WhatsApp')

    // WhatsApp opens the lead's conversation in the inbox.
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    // The address changes before the page has drawn the conversation: wait for it. The name is in the list too,
    // hidden on a phone while a conversation is open: wait for the one shown.
    await page.getByText(name).filter({ visible: true }).first().waitFor()

    // A tap on a card opens the record.
    await open(page, '/app/clients')
    expect(await page.getByTestId('record-card').count()).toBe(25)
    const client = page.getByTestId('record-card').first()
    const clientName = await client.getByRole('link').first().innerText()
    const cb = (await client.boundingBox())!
    await page.mouse.click(cb.x + cb.width - 30, cb.y + cb.height - 10)
    await page.waitForURL(/\/app\/clients\/[0-9a-f-]{36}$/)
    expect(await page.getByTestId('client-name').innerText()).toBe(clientName)
    expect(page.errors).toEqual([])
  })

  it('the inbox’s filters rise from the bottom on a phone and a tap outside puts them away', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(page, '/app/inbox')
    await page.locator('summary', { hasText: 'Mais filtros' }).click()
    const sheet = page.getByTestId('filter-sheet')
    await sheet.waitFor()
    const box = (await sheet.boundingBox())!
    expect(Math.round(box.x)).toBe(0)
    expect(Math.round(box.width)).toBe(375)
    expect(Math.round(box.y + box.height)).toBe(800)
    await page.mouse.click(187, 40)
    await sheet.waitFor({ state: 'hidden' })
    expect(page.errors).toEqual([])
  })
})
