import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { baseURL, launchBrowser, liveNavigation, login, newPage } from './browser'
import { hydrated, sandboxNumber } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

async function signedIn(email: string): Promise<Page> {
  const page = await newPage(browser)
  await login(page, email)
  await page.waitForURL(/\/app$/)
  return page
}

describe('WhatsApp inbox in the browser', () => {
  it('shows a signed inbound webhook live (no reload), and a reply moves through sent → delivered → read', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const deliver = await sandboxNumber(page, 'Plantão')

    await page.goto('/app/inbox')
    await expect.poll(() => page.getByTestId('live-state').innerText()).toBe('Ao vivo')
    const res = await deliver(
      {
        contacts: [{ profile: { name: 'Otávio Webhook' }, wa_id: '5511955443322' }],
        messages: [
          {
            from: '5511955443322',
            id: 'wamid.E2E1',
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'text',
            text: { body: 'placeholder' },
          },
        ],
      },
      ['placeholder', 'Tenho interesse na cobertura, \\u00e9 poss\\u00edvel visitar?'],
    )
    expect(res.status).toBe(200)
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Otávio Webhook' })
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    expect(await item.innerText()).toContain('Tenho interesse na cobertura, é possível visitar?')
    await expect.poll(() => page.getByTestId('unread-badge').count()).toBeGreaterThan(0)

    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    expect(await page.getByTestId('window-state').innerText()).toMatch(/Janela aberta até/)
    await page.getByTestId('composer').fill('Olá Otávio! Pode ser amanhã às 10h?')
    await page.getByTestId('composer').press('Enter')
    const reply = page.getByTestId('message').filter({ hasText: 'Pode ser amanhã às 10h?' })
    await expect.poll(() => reply.count()).toBe(1)
    const status = () => reply.getByTestId('message-status').getAttribute('data-status')
    await expect.poll(status, { timeout: 15_000 }).toMatch(/sent|delivered|read/)
    await expect.poll(status, { timeout: 20_000 }).toBe('read')
    expect(await page.getByTestId('composer').inputValue()).toBe('')
    // The unknown number became a WhatsApp lead, linked from the conversation.
    await page.getByRole('link', { name: 'Otávio Webhook', exact: true }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByText(/^WhatsApp · /).count()).toBe(1)
  })

  it('a message that arrives while the page is still connecting shows once it connects, without a reload', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const deliver = await sandboxNumber(page, 'Abertura')
    // The live socket is held back, as on a slow network: the page is rendered, the socket not yet joined.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await held
      ws.connectToServer()
    })
    await page.goto('/app/inbox')
    await hydrated(page)
    const from = '5511955448800'
    const res = await deliver({
      contacts: [{ profile: { name: 'Bia Abertura' }, wa_id: from }],
      messages: [
        {
          from,
          id: 'wamid.E2E-OPEN1',
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: 'Oi, ainda está disponível?' },
        },
      ],
    })
    expect(res.status).toBe(200)
    // Ingested (the API lists it), while the page, with no socket, cannot know.
    const listed = async () =>
      JSON.stringify(await (await page.request.get('/api/trpc/whatsapp.conversations?input=%7B%7D')).json())
    await expect.poll(listed, { timeout: 15_000 }).toContain('Bia Abertura')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Bia Abertura' })
    expect(await item.count()).toBe(0)
    release()
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
  })

  it('shows every kind of message as something: a reaction on its message (gone once taken back), contact cards, kinds not drawn here', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const deliver = await sandboxNumber(page, 'Reações')
    const from = '5511955447711'
    const at = Math.floor(Date.now() / 1000)
    const message = (id: string, type: string, body: Record<string, unknown>, ts = at) => ({
      contacts: [{ profile: { name: 'Paula Reação' }, wa_id: from }],
      messages: [{ from, id, timestamp: String(ts), type, ...body }],
    })
    // Live before the first delivery: an event sent before the socket joined would reach nobody.
    await page.goto('/app/inbox')
    await expect.poll(() => page.getByTestId('live-state').innerText()).toBe('Ao vivo')
    expect(
      (await deliver(message('wamid.E2E-K1', 'text', { text: { body: 'Qual o valor do condomínio?' } }))).status,
    ).toBe(200)
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Paula Reação' })
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const asked = page.getByTestId('message').filter({ hasText: 'Qual o valor do condomínio?' })
    await expect.poll(() => asked.count()).toBe(1)

    await deliver(
      message('wamid.E2E-K2', 'reaction', { reaction: { message_id: 'wamid.E2E-K1', emoji: '👍' } }, at + 1),
    )
    await deliver(
      message(
        'wamid.E2E-K3',
        'contacts',
        {
          contacts: [
            {
              name: { formatted_name: 'João Corretor' },
              phones: [{ phone: '+55 11 98888-1234', wa_id: '5511988881234' }],
            },
          ],
        },
        at + 2,
      ),
    )
    await deliver(message('wamid.E2E-K4', 'order', { order: { catalog_id: '1', product_items: [] } }, at + 3))
    // The reaction shows on the message it reacts to, not as a bubble of its own.
    await expect.poll(() => asked.getByTestId('message-reaction').count(), { timeout: 15_000 }).toBe(1)
    expect(await asked.getByTestId('message-reaction').getAttribute('title')).toBe('Reação do contato: 👍')
    const card = page.getByTestId('message').filter({ has: page.getByTestId('contact-cards') })
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1)
    expect(await card.innerText()).toContain('João Corretor')
    expect(await card.innerText()).toContain('+55 11 98888-1234')
    await expect.poll(() => page.getByTestId('message-unsupported').count(), { timeout: 15_000 }).toBe(1)
    expect(await page.getByTestId('message-unsupported').innerText()).toContain('(order)')
    // No empty bubbles: every message says something.
    for (const bubble of await page.getByTestId('message').all())
      expect((await bubble.innerText()).replace(await bubble.locator('time').innerText(), '').trim()).not.toBe('')
    expect(await page.getByTestId('message').count()).toBe(3)

    // Taken back (an empty emoji): gone from the message.
    await deliver(message('wamid.E2E-K5', 'reaction', { reaction: { message_id: 'wamid.E2E-K1', emoji: '' } }, at + 4))
    await expect.poll(() => asked.getByTestId('message-reaction').count(), { timeout: 15_000 }).toBe(0)
    expect(await page.getByTestId('message').count()).toBe(3)
  })

  it('a message received by one web instance appears live in a browser served by the other', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    // The same user on instance B (cookies are per host, so sign in there).
    const other = await browser.newContext({ baseURL: inject('e2e').secondURL, locale: 'pt-BR' })
    const pageB = liveNavigation(await other.newPage())
    await login(pageB, 'ana.souza@horizonte.demo')
    await pageB.waitForURL(/\/app$/)
    await pageB.goto('/app/inbox')
    await expect.poll(() => pageB.getByTestId('live-state').innerText()).toBe('Ao vivo')
    // Through instance A: the sandbox panel's injection (same pipeline: stored event → worker → NOTIFY → both instances).
    await page.goto('/app/inbox')
    await page.getByTestId('conversation-item').first().click()
    await page.getByTestId('sandbox-panel').locator('summary').click()
    await page.getByTestId('sandbox-panel').getByLabel('Mensagem dele').fill('Chegou na outra instância?')
    await page.getByRole('button', { name: 'Receber mensagem' }).click()
    await expect
      .poll(() => pageB.getByTestId('conversation-list').innerText(), { timeout: 15_000 })
      .toContain('Chegou na outra instância?')
    await other.close()
  })

  it('after a disconnection, the inbox catches up with what arrived meanwhile', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    // Once connected, the page refetches what may have arrived while it loaded; that refetch must be back before the
    // connection goes (a refetch that fails offline shows the offline screen, which is not what this test is about).
    const caughtUp = page.waitForResponse((r) => r.url().includes('/app/inbox.data'))
    await page.goto('/app/inbox')
    await expect.poll(() => page.getByTestId('live-state').innerText()).toBe('Ao vivo')
    await caughtUp
    await page.context().setOffline(true)
    await expect.poll(() => page.getByTestId('live-state').innerText(), { timeout: 30_000 }).toBe('Reconectando…')
    // Meanwhile a contact writes (through another session of the same manager).
    const other = await signedIn('ana.souza@horizonte.demo')
    await other.goto('/app/inbox')
    await other.getByTestId('conversation-item').first().click()
    await other.getByTestId('sandbox-panel').locator('summary').click()
    await other.getByTestId('sandbox-panel').getByLabel('Mensagem dele').fill('Enquanto você estava offline')
    await other.getByRole('button', { name: 'Receber mensagem' }).click()
    await expect
      .poll(() => other.getByTestId('message').filter({ hasText: 'Enquanto você estava offline' }).count(), {
        timeout: 15_000,
      })
      .toBe(1)
    expect(await page.getByTestId('conversation-list').innerText()).not.toContain('Enquanto você estava offline')
    await page.context().setOffline(false)
    await expect
      .poll(() => page.getByTestId('conversation-list').innerText(), { timeout: 30_000 })
      .toContain('Enquanto você estava offline')
  })

  it('a wrong signature is refused with 403 and nothing appears', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    const res = await fetch(`${baseURL()}/webhooks/whatsapp/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body: '{"object":"whatsapp_business_account","entry":[]}',
    })
    expect(res.status).toBe(403)
  })

  it('opens a lead’s conversation from its page and simulates the contact from the sandbox panel', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/inbox')
    await page.getByTestId('conversation-item').first().click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const leadLink = page
      .getByRole('link')
      .filter({ has: page.locator('xpath=self::a[contains(@href, "/app/leads/")]') })
      .first()
    const href = await leadLink.getAttribute('href')
    await page.goto(href!)
    // A click before hydration reaches plain HTML, not the fetcher (on a busy machine hydration ends well after load).
    await hydrated(page)
    await page.getByTestId('open-whatsapp').click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    // The WhatsApp button is a navigation: the inbox is a new document, live only once it hydrates.
    await hydrated(page)
    await page.getByTestId('sandbox-panel').locator('summary').click()
    await page.getByTestId('sandbox-panel').getByLabel('Mensagem dele').fill('Mensagem simulada pelo painel')
    await page.getByRole('button', { name: 'Receber mensagem' }).click()
    await expect
      .poll(() => page.getByTestId('message').filter({ hasText: 'Mensagem simulada pelo painel' }).count(), {
        timeout: 15_000,
      })
      .toBe(1)
    // An attachment, seen before it goes, with the composer's text as its caption.
    await page.getByTestId('composer').fill('Segue a proposta')
    await page
      .getByTestId('attachment-input')
      .setInputFiles({ name: 'proposta.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 proposta') })
    await expect.poll(() => page.getByTestId('staged-file').innerText()).toMatch(/proposta\.pdf/)
    await page.getByRole('button', { name: 'Enviar arquivo' }).click()
    const doc = page.getByTestId('message').filter({ hasText: 'proposta.pdf' })
    await expect.poll(() => doc.count(), { timeout: 15_000 }).toBe(1)
    expect(await doc.innerText()).toContain('Segue a proposta')
    await expect
      .poll(() => doc.getByTestId('message-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('read')
    // Re-link the conversation to a client chosen by search; the header then links to it.
    await page.getByText('Vincular a um lead ou cliente').click()
    const clientPicker = page.getByRole('combobox', { name: 'Cliente' })
    await clientPicker.fill('a')
    // The picker first lists recent clients, then the matches for what was typed: pick from the settled matches, by
    // name (reading one item and clicking "the last" again could land on another list).
    const picker = page.locator('[cmdk-root]').filter({ has: clientPicker })
    await expect.poll(() => picker.locator('[cmdk-list]').getAttribute('aria-busy')).toBe('false')
    const items = picker.getByTestId('picker-item')
    const picked = (await items.last().locator('span span').first().innerText()).trim()
    await items.filter({ hasText: picked }).first().click()
    await expect.poll(() => page.getByText('Conversa vinculada.').count()).toBeGreaterThan(0)
    await expect.poll(() => page.getByRole('link', { name: picked }).count()).toBeGreaterThan(0)
    // A type WhatsApp does not take is refused with its name.
    await page
      .getByTestId('attachment-input')
      .setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') })
    await page.getByRole('button', { name: 'Enviar arquivo' }).click()
    await expect
      .poll(() => page.getByText('Este tipo de arquivo não pode ser enviado pelo WhatsApp', { exact: false }).count())
      .toBeGreaterThan(0)
  })

  it('a manager sets the pace of a number’s sends to one of Meta’s tiers', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await sandboxNumber(page, 'Linha de campanhas')
    await page.goto('/app/settings/whatsapp')
    const pace = () =>
      page
        .getByTestId('whatsapp-accounts')
        .locator('li')
        .filter({ hasText: 'Linha de campanhas' })
        .getByTestId('account-throughput')
    expect(await pace().getByRole('combobox', { name: 'Envios por segundo' }).inputValue()).toBe('80')
    await pace().getByRole('combobox', { name: 'Envios por segundo' }).selectOption('20')
    await pace().getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => page.getByText('Ritmo de envio do número salvo').count()).toBeGreaterThan(0)
    await page.reload()
    expect(await pace().getByRole('combobox', { name: 'Envios por segundo' }).inputValue()).toBe('20')
  })

  it("syncs a number's templates and sends one picked from the list, with its parameters and a live preview", async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/settings/whatsapp')
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Adicionar número sandbox' }) })
    await form.getByLabel('Nome').fill('Modelos')
    await form.getByRole('button', { name: 'Adicionar número sandbox' }).click()
    const account = page.getByTestId('whatsapp-accounts').locator('li').filter({ hasText: 'Modelos ·' })
    await expect.poll(() => account.count()).toBe(1)
    await account.getByRole('button', { name: 'Sincronizar modelos' }).click()
    await expect
      .poll(() => account.getByTestId('templates-line').innerText(), { timeout: 15_000 })
      .toMatch(/Modelos sincronizados em/)
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(await account.innerText())![1]!
    await page.goto('/app/inbox')
    await expect.poll(() => page.getByTestId('live-state').innerText()).toBe('Ao vivo')
    const res = await page.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: { accountId, from: '+55 11 95544-7788', name: 'Rita Modelo', text: 'Bom dia!' },
    })
    expect(res.status()).toBe(200)
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Rita Modelo' })
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    await page.locator('summary').filter({ hasText: 'Modelo' }).click()
    const tpl = page.getByTestId('template-form')
    // Approved ones only: the template still in review is not offered.
    expect(await tpl.getByTestId('template-select').locator('option').allInnerTexts()).toEqual([
      'documentos_pendentes (pt_BR)',
      'retomar_contato (pt_BR)',
      'visita_confirmada (pt_BR)',
    ])
    await tpl.getByTestId('template-select').selectOption({ label: 'visita_confirmada (pt_BR)' })
    await tpl.getByLabel('Parâmetro 1').fill('Rita')
    expect(await tpl.getByTestId('template-preview').innerText()).toBe(
      'Olá, Rita! Sua visita ao imóvel … está confirmada para ….',
    )
    await tpl.getByLabel('Parâmetro 2').fill('AP0001')
    await tpl.getByLabel('Parâmetro 3').fill('sábado às 10h')
    await tpl.getByRole('button', { name: 'Enviar modelo' }).click()
    const sent = page
      .getByTestId('message')
      .filter({ hasText: 'Olá, Rita! Sua visita ao imóvel AP0001 está confirmada para sábado às 10h.' })
    await expect.poll(() => sent.count(), { timeout: 15_000 }).toBe(1)
    await expect
      .poll(() => sent.getByTestId('message-status').getAttribute('data-status'), { timeout: 15_000 })
      .toMatch(/sent|delivered|read/)
    expect((page as Page & { errors: string[] }).errors).toEqual([])
  })
})
