import type { Browser, Page } from 'playwright-core'
import { createDb, sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * Quick replies in the browser (issue 16's inbox): a manager saves one for the agency, then, on a phone, types `/` in
 * a conversation's composer, picks it with the keyboard and gets it filled with the contact's name.
 */
describe('quick replies', () => {
  it('save a reply → / in the composer → Enter fills it for the contact', async () => {
    const tag = Date.now().toString(36)
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(page, '/app/inbox')
    // On a phone the inbox's secondary actions are in its menu.
    await page.getByRole('button', { name: 'Mais ações' }).click()
    await page.getByRole('menuitem', { name: 'Respostas rápidas' }).click()
    await page.waitForURL(/\/app\/quick-replies$/)
    await page.getByLabel('Atalho').fill(`oi${tag}`)
    await page.getByLabel('Texto').fill('Olá, {{nome}}! Aqui é {{corretor}}, da {{imobiliaria}}.')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('quick-reply')
          .filter({ hasText: `/oi${tag}` })
          .count(),
      )
      .toBe(1)
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)

    // A contact writes in, so the conversation's 24-hour window is open.
    await open(page, '/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    const digits = String(Date.now()).slice(-8)
    const sent = await page.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: { accountId, from: `+55 41 9${digits}`, name: `Marina Teste ${tag}`, text: 'Oi!' },
    })
    expect(sent.status()).toBe(200)
    const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
    try {
      const conversationOf = async () =>
        (
          await owner.db.execute<{ id: string }>(
            sql`select id from whatsapp_conversations where contact_name = ${`Marina Teste ${tag}`}`,
          )
        )[0]?.id ?? null
      await expect.poll(conversationOf).not.toBeNull()
      await open(page, `/app/inbox/${(await conversationOf())!}`)
    } finally {
      await owner.close()
    }
    const composer = page.getByTestId('composer')
    await composer.fill(`/oi${tag.slice(0, 3)}`)
    const list = page.getByTestId('quick-replies')
    await expect
      .poll(() =>
        list
          .getByRole('option')
          .filter({ hasText: `/oi${tag}` })
          .count(),
      )
      .toBe(1)
    while ((await list.getByRole('option', { selected: true }).innerText()).indexOf(`/oi${tag}`) < 0)
      await composer.press('ArrowDown')
    await composer.press('Enter')
    expect(await composer.inputValue()).toBe(`Olá, Marina! Aqui é Ana Souza, da Imobiliária Horizonte.`)
    expect(await list.count()).toBe(0)
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)
  })
})
