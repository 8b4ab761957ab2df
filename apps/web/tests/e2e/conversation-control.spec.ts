import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** Decision 019 in the inbox: who answers a conversation, "com a IA", "Assumir" and "Devolver para a IA". */
describe('conversation control in the inbox', () => {
  it('a manager sees the badge, filters "com a IA", takes over and gives it back, by keyboard; no sideways scroll at 375 px', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    // A sandbox number whose conversations the AI answers (its mode set as a manager would), and a contact writing.
    await page.goto('/app/settings/whatsapp')
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Adicionar número sandbox' }) })
    await form.getByLabel('Nome').fill('Robô')
    await form.getByRole('button', { name: 'Adicionar número sandbox' }).click()
    const account = page.getByTestId('whatsapp-accounts').locator('li').filter({ hasText: 'Robô ·' })
    await expect.poll(() => account.count()).toBe(1)
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(await account.innerText())![1]!
    const mode = await page.request.post('/api/trpc/whatsapp.setAccountAiMode', {
      data: { id: accountId, aiMode: 'auto' },
    })
    expect(mode.status()).toBe(200)
    const sent = await page.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: { accountId, from: '+55 11 95522-3344', name: 'Beto Robô', text: 'Quero alugar um apê' },
    })
    expect(sent.status()).toBe(200)

    await page.goto('/app/inbox')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Beto Robô' })
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    expect(await item.getByTestId('control-badge').innerText()).toBe('Com a IA')

    // The filter is a link like the others: in the URL, and it keeps the conversation.
    await page.getByRole('link', { name: 'Com a IA', exact: true }).click()
    await page.waitForURL(/filter=ai/)
    await expect.poll(() => item.count()).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const header = page.getByTestId('conversation-control')

    // Keyboard only: focus the button and press Enter.
    await header.getByRole('button', { name: 'Assumir' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com uma pessoa')
    const entries = page.getByTestId('control-entry')
    await expect.poll(() => entries.count()).toBe(1)
    expect(await entries.first().innerText()).toMatch(/assumiu/)

    await header.getByRole('button', { name: 'Devolver para a IA' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com a IA')
    await expect.poll(() => entries.count()).toBe(2)
    expect(await entries.nth(1).innerText()).toMatch(/devolveu para a IA/)

    // On a phone: the conversation fits the width.
    await page.setViewportSize({ width: 375, height: 800 })
    await page.reload()
    await expect.poll(() => header.getByTestId('control-badge').count()).toBe(1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    expect(page.errors).toEqual([])
  })
})
