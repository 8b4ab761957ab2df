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
 * LGPD consent (issue 17, decision 037) as a manager meets it: a marketing template to a contact who never agreed is
 * refused in the inbox with the reason; the consent recorded on the lead's page (with its wording, in the history)
 * lets the same template go; a contact's "SAIR" on WhatsApp shows as revoked, and the leads list filters by it.
 */
describe('marketing consent', () => {
  it('refuses a marketing template without consent, records it on the lead, then sends; SAIR revokes it', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/settings/whatsapp')
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Adicionar número sandbox' }) })
    await form.getByLabel('Nome').fill('LGPD')
    await form.getByRole('button', { name: 'Adicionar número sandbox' }).click()
    const account = page.getByTestId('whatsapp-accounts').locator('li').filter({ hasText: 'LGPD ·' })
    await expect.poll(() => account.count()).toBe(1)
    await account.getByRole('button', { name: 'Sincronizar modelos' }).click()
    await expect
      .poll(() => account.getByTestId('templates-line').innerText(), { timeout: 15_000 })
      .toMatch(/Modelos sincronizados em/)
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(await account.innerText())![1]!
    const inject = (text: string) =>
      page.request.post('/api/trpc/whatsapp.sandboxInject', {
        data: { accountId, from: '+55 11 95533-6611', name: 'Olga Consentimento', text },
      })
    expect((await inject('Oi, quero saber do apartamento')).status()).toBe(200)

    await open(page, '/app/inbox')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Olga Consentimento' })
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const conversationUrl = page.url()
    const sendOffer = async () => {
      await page.locator('summary').filter({ hasText: 'Modelo' }).click()
      const tpl = page.getByTestId('template-form')
      await tpl.getByTestId('template-select').selectOption({ label: 'retomar_contato (pt_BR)' })
      await tpl.getByLabel('Parâmetro 1').fill('Olga')
      await tpl.getByRole('button', { name: 'Enviar modelo' }).click()
      return tpl
    }
    const tpl = await sendOffer()
    await expect
      .poll(() => tpl.getByText('Sem autorização de marketing (LGPD)', { exact: false }).count())
      .toBeGreaterThan(0)

    const id = /\/app\/inbox\/([0-9a-f-]{36})/.exec(conversationUrl)![1]!
    const detail = await page.request.get(
      `/api/trpc/whatsapp.conversation?input=${encodeURIComponent(JSON.stringify({ id }))}`,
    )
    const leadId = (await detail.json()).result.data.conversation.leadId as string
    await open(page, `/app/leads/${leadId}`)
    await hydrated(page)
    const consent = page.getByTestId('consent')
    expect(await consent.innerText()).toContain('Não informado')
    await consent.getByRole('button', { name: 'Alterar' }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.getByLabel('Autorizou receber marketing').isChecked()).toBe(true)
    await dialog.getByLabel('Base legal').selectOption('consent')
    await dialog.getByLabel('Texto aceito ou versão (opcional)').fill('Aceitou por telefone em 05/12')
    await dialog.getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => consent.getByText('Autorizado').count()).toBe(1)
    expect(await consent.innerText()).toContain('Registrado pela equipe')
    await consent.getByRole('button', { name: 'Alterar' }).click()
    expect(await page.getByTestId('consent-history').innerText()).toContain('“Aceitou por telefone em 05/12”')
    await page.keyboard.press('Escape')
    // Focus goes back to what opened the dialog.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe('Alterar')

    await open(page, conversationUrl)
    await hydrated(page)
    await sendOffer()
    const sent = page
      .getByTestId('message')
      .filter({ hasText: 'Olá, Olga! Aqui é da imobiliária. Ainda procura um imóvel? Podemos ajudar.' })
    await expect.poll(() => sent.count(), { timeout: 15_000 }).toBe(1)

    expect((await inject('SAIR')).status()).toBe(200)
    await expect
      .poll(
        async () => {
          await open(page, `/app/leads/${leadId}`)
          return page.getByTestId('consent').innerText()
        },
        { timeout: 15_000 },
      )
      .toContain('Revogado')
    expect(await page.getByTestId('consent').innerText()).toContain('WhatsApp')

    // The leads list filters by it: Mais filtros → Marketing (LGPD) → Revogado.
    await open(page, '/app/leads')
    await hydrated(page)
    await page.locator('summary').filter({ hasText: 'Mais filtros' }).click()
    await page.getByLabel('Marketing (LGPD)').selectOption('revoked')
    // The panel has its own button: on a small screen it covers the form's.
    await page.locator('details[open]').getByRole('button', { name: 'Filtrar' }).click()
    await page.waitForURL(/consent=revoked/)
    const rows = page.getByTestId('lead-row')
    await expect.poll(() => rows.filter({ hasText: 'Olga Consentimento' }).count()).toBe(1)
    await open(page, '/app/leads?consent=granted&q=Olga')
    expect(await page.getByTestId('lead-row').filter({ hasText: 'Olga Consentimento' }).count()).toBe(0)
  })
})
