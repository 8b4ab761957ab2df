import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Issue 16's "WhatsApp on the record", on a phone: an agent answers a lead's WhatsApp from the lead's own page — the
 * thread is there with the composer, and the page follows the contact's new message live.
 */
describe("a lead's WhatsApp on its page", () => {
  it('start the conversation, the contact writes, the agent answers from the lead page', async () => {
    const tag = Date.now().toString(36)
    const digits = String(Date.now()).slice(-8)
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 375 })
    await open(page, '/app/leads/new')
    await page.getByLabel('Nome').fill(`Lead do WhatsApp ${tag}`)
    await page.getByLabel('Telefones').fill(`(11) 9${digits.slice(0, 4)}-${digits.slice(4)}`)
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
    const leadUrl = new URL(page.url()).pathname
    await hydrated(page)
    // No conversation yet: no thread, and "WhatsApp" opens one (in the inbox, where the sandbox simulates the contact).
    expect(await page.getByTestId('record-thread').count()).toBe(0)
    await page.getByTestId('open-whatsapp').click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    await hydrated(page)
    await page.getByTestId('sandbox-panel').locator('summary').click()
    await page.getByTestId('sandbox-panel').getByLabel('Mensagem dele').fill(`Tem vaga na garagem? ${tag}`)
    await page.getByRole('button', { name: 'Receber mensagem' }).click()
    await expect
      .poll(
        () =>
          page
            .getByTestId('message')
            .filter({ hasText: `Tem vaga na garagem? ${tag}` })
            .count(),
        {
          timeout: 15_000,
        },
      )
      .toBe(1)

    // Back on the lead's page: the thread with the contact's message, and the composer answers it there.
    await open(page, leadUrl)
    const thread = page.getByTestId('record-thread')
    await expect.poll(() => thread.getByText(`Tem vaga na garagem? ${tag}`).count()).toBe(1)
    // The lead's timeline tells the message among its history.
    expect(await page.getByTestId('timeline').innerText()).toContain(
      `escreveu no WhatsApp: “Tem vaga na garagem? ${tag}”`,
    )
    await thread.getByTestId('composer').fill(`Tem sim, uma vaga coberta ${tag}`)
    await thread.getByTestId('composer').press('Enter')
    const reply = thread.getByTestId('message').filter({ hasText: `Tem sim, uma vaga coberta ${tag}` })
    await expect.poll(() => reply.count(), { timeout: 15_000 }).toBe(1)
    await expect
      .poll(() => reply.getByTestId('message-status').getAttribute('data-status'), { timeout: 20_000 })
      .toMatch(/sent|delivered|read/)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    // A listing's page with its matching leads fits the phone too.
    await open(page, '/app/properties')
    const hrefs = await page
      .locator('a[href^="/app/properties/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    await open(
      page,
      hrefs.find((h) => /^\/app\/properties\/[0-9a-f-]{36}$/.test(h))!,
    )
    await page.getByText('Leads que combinam com este imóvel').waitFor()
    // The ranking arrives after the page: wait until it has (a list, or the sentence that none match).
    await expect.poll(() => page.getByText('Procurando leads que combinam…').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('a lead with two phones: the agent chooses which one the conversation writes to', async () => {
    const tag = Date.now().toString(36)
    const digits = String(Date.now()).slice(-7)
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 1280 })
    await open(page, '/app/leads/new')
    await page.getByLabel('Nome').fill(`Dois Telefones ${tag}`)
    await page.getByLabel('Telefones').fill(`(11) 91${digits}, (11) 92${digits}`)
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
    await hydrated(page)
    const to = page.getByLabel('Para o telefone')
    await expect.poll(() => to.locator('option').count()).toBe(2)
    await to.selectOption({ index: 1 })
    await page.getByTestId('open-whatsapp').click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const id = /\/app\/inbox\/([0-9a-f-]{36})/.exec(page.url())![1]!
    const res = await page.request.get(
      `/api/trpc/whatsapp.conversation?input=${encodeURIComponent(JSON.stringify({ id }))}`,
    )
    expect((await res.json()).result.data.conversation.contactPhone).toBe(`+551192${digits}`)
  })
})
