import type { Browser, Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Focuses a button and presses Enter once it can take it: the control buttons are disabled while their form's
 * revalidation runs, and a live event's revalidation can show the new state before that one ends — a focus on a
 * disabled button is a no-op and the Enter would go nowhere.
 */
async function pressByKeyboard(button: Locator) {
  await expect
    .poll(() =>
      button.evaluate((el: HTMLButtonElement) => {
        el.focus()
        return !el.disabled && el === document.activeElement
      }),
    )
    .toBe(true)
  await button.page().keyboard.press('Enter')
}

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
    await pressByKeyboard(header.getByRole('button', { name: 'Assumir' }))
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com uma pessoa')
    const entries = page.getByTestId('control-entry')
    await expect.poll(() => entries.count()).toBe(1)
    expect(await entries.first().innerText()).toMatch(/assumiu/)

    await pressByKeyboard(header.getByRole('button', { name: 'Devolver para a IA' }))
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

  it('a manager sets a number’s mode in settings and a conversation’s in its header (keyboard), and sees the badge on the lead page; no sideways scroll at 375 px', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/settings/whatsapp')
    await hydrated(page)
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Adicionar número sandbox' }) })
    await form.getByLabel('Nome').fill('Assistente')
    await form.getByRole('button', { name: 'Adicionar número sandbox' }).click()
    const account = page.getByTestId('whatsapp-accounts').locator('li').filter({ hasText: 'Assistente ·' })
    await expect.poll(() => account.count()).toBe(1)
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(await account.innerText())![1]!

    // A new number follows the agency's mode (off in the demo), and the hint says it is for new conversations.
    const mode = account.getByLabel('Modo da IA')
    expect(await mode.inputValue()).toBe('')
    expect(await mode.locator('option:checked').textContent()).toBe('Padrão da imobiliária (IA desligada)')
    expect(await account.getByTestId('account-ai-mode').innerText()).toMatch(
      /novas conversas deste número.*vale o da imobiliária \(IA desligada\).*já abertas mantêm/s,
    )
    await mode.selectOption('assist')
    await account.getByTestId('account-ai-mode').getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => page.getByText('Modo da IA do número salvo').count()).toBeGreaterThan(0)
    await page.reload()
    await hydrated(page)
    expect(await account.getByLabel('Modo da IA').inputValue()).toBe('assist')

    // A contact writes to that number: the conversation starts in the number's mode, with nobody answering.
    const sent = await page.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: { accountId, from: '+55 11 95533-6677', name: 'Clara Assistida', text: 'Tem casa com quintal?' },
    })
    expect(sent.status()).toBe(200)
    await page.goto('/app/inbox')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Clara Assistida' })
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    await hydrated(page)
    const conversationPath = new URL(page.url()).pathname
    const header = page.getByTestId('conversation-control')
    const modes = header.getByRole('group', { name: 'Modo da IA' })
    const pressed = () => modes.locator('button[aria-pressed="true"]').innerText()
    await expect.poll(pressed).toBe('IA assiste')
    expect(await header.getByTestId('control-badge').innerText()).toBe('Ninguém atendendo')

    // Keyboard only: Tab from 'IA assiste' to 'IA responde' (a visible focus ring), then Enter.
    await modes.getByRole('button', { name: 'IA assiste' }).focus()
    await page.keyboard.press('Tab')
    const auto = modes.getByRole('button', { name: 'IA responde' })
    expect(await auto.evaluate((el) => el === document.activeElement && el.matches(':focus-visible'))).toBe(true)
    expect(await auto.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe('none')
    await page.keyboard.press('Enter')
    await expect.poll(pressed).toBe('IA responde')
    // Auto hands a conversation nobody holds to the AI; the change is in the thread's timeline.
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com a IA')
    await expect.poll(() => page.getByTestId('control-entry').count()).toBe(1)
    expect(await page.getByTestId('control-entry').first().innerText()).toMatch(/mudou o modo para: IA responde/)
    expect(await auto.evaluate((el) => el === document.activeElement)).toBe(true)

    // The contact became a lead linked from the header; its page shows the same badge and opens the conversation.
    await page.getByRole('link', { name: 'Clara Assistida', exact: true }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}$/)
    await hydrated(page)
    const leadPath = new URL(page.url()).pathname
    const line = page.getByTestId('record-conversation')
    await expect.poll(() => line.count()).toBe(1)
    expect(await line.innerText()).toMatch(/Conversa no WhatsApp:/)
    expect(await line.getByTestId('control-badge').innerText()).toBe('Com a IA')
    expect(await line.getByRole('link', { name: 'abrir' }).getAttribute('href')).toBe(conversationPath)

    // On a phone: settings, the conversation and the lead fit the width.
    await page.setViewportSize({ width: 375, height: 800 })
    for (const path of ['/app/settings/whatsapp', conversationPath, leadPath]) {
      await page.goto(path)
      await hydrated(page)
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375)
    }
    await line.getByRole('link', { name: 'abrir' }).click()
    await page.waitForURL((u) => u.pathname === conversationPath)
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com a IA')
    expect(page.errors).toEqual([])
  })
})
