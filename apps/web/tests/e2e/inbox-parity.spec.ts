import type { Browser, Page } from 'playwright-core'
import { createDb, sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/** A contact writes to the agency's sandbox number; resolves with the conversation's id once it exists. */
async function contactWrites(page: Page, accountId: string, from: string, name: string, text: string) {
  const sent = await page.request.post('/api/trpc/whatsapp.sandboxInject', { data: { accountId, from, name, text } })
  expect(sent.status()).toBe(200)
  const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
  try {
    const conversationOf = async () =>
      (
        await owner.db.execute<{ id: string }>(sql`select id from whatsapp_conversations where contact_name = ${name}`)
      )[0]?.id ?? null
    await expect.poll(conversationOf).not.toBeNull()
    return (await conversationOf())!
  } finally {
    await owner.close()
  }
}

/**
 * Issue 16's inbox parity, on a phone: an internal note the contact never gets, a reply that quotes the contact's
 * message, a file seen before it goes, and the conversation resolved (out of "Abertas") until the contact writes again.
 */
describe('a complete inbox on a phone', () => {
  it('note → quoted reply → staged file → resolve, and the contact writing reopens it', async () => {
    const tag = Date.now().toString(36)
    const name = `Paula Paridade ${tag}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(page, '/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    const from = `+55 31 9${String(Date.now()).slice(-8)}`
    const id = await contactWrites(page, accountId, from, name, 'Qual o valor do condomínio?')
    await open(page, `/app/inbox/${id}`)
    await hydrated(page)
    const messages = page.getByTestId('message')
    await expect.poll(() => messages.filter({ hasText: 'Qual o valor do condomínio?' }).count()).toBe(1)

    // An internal note, by keyboard: the mode toggle, then Enter. It shows as the team's, and no message is sent.
    const composer = page.getByTestId('composer')
    const noteMode = page.getByTestId('composer-mode').getByRole('button', { name: /Nota interna/ })
    await noteMode.focus()
    await page.keyboard.press('Enter')
    expect(await noteMode.getAttribute('aria-pressed')).toBe('true')
    await composer.fill('Cliente prefere ligação depois das 18h')
    await composer.press('Enter')
    const note = page.getByTestId('note').filter({ hasText: 'Cliente prefere ligação depois das 18h' })
    await expect.poll(() => note.count()).toBe(1)
    expect(await note.innerText()).toMatch(/Nota interna · Ana Souza/)
    expect(await messages.filter({ hasText: 'Cliente prefere ligação' }).count()).toBe(0)

    // A reply that quotes the contact's question: the composer shows what it answers, and so does the sent message.
    await page.getByTestId('composer-mode').getByRole('button', { name: 'Responder' }).click()
    const question = messages.filter({ hasText: 'Qual o valor do condomínio?' })
    await question.getByTestId('reply-button').click()
    await expect.poll(() => page.getByTestId('composer-quote').innerText()).toMatch(/Qual o valor do condomínio\?/)
    await composer.fill('R$ 850 por mês')
    await composer.press('Enter')
    const answer = messages.filter({ hasText: 'R$ 850 por mês' })
    await expect.poll(() => answer.count()).toBe(1)
    await expect.poll(() => answer.getByTestId('message-quote').innerText()).toMatch(/Qual o valor do condomínio\?/)
    await expect.poll(() => page.getByTestId('composer-quote').count()).toBe(0)

    // A file is seen before it goes (and may be dropped); sent with the text as its caption.
    const file = { name: `planta-${tag}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 planta') }
    await page.getByTestId('attachment-input').setInputFiles(file)
    await expect.poll(() => page.getByTestId('staged-file').innerText()).toContain(file.name)
    await page.getByTestId('staged-file').getByRole('button', { name: 'Cancelar' }).click()
    expect(await page.getByTestId('staged-file').count()).toBe(0)
    await page.getByTestId('attachment-input').setInputFiles(file)
    await composer.fill('A planta do apartamento')
    await page.getByRole('button', { name: 'Enviar arquivo' }).click()
    const doc = messages.filter({ hasText: file.name })
    await expect.poll(() => doc.count()).toBe(1)
    expect(await doc.innerText()).toContain('A planta do apartamento')
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)

    // A label, typed and confirmed with Enter (kept in lower case), removable with its × button.
    const labels = page.getByTestId('conversation-labels')
    for (const label of [`Financiamento ${tag}`, `Visita ${tag}`]) {
      await labels.getByLabel('Nova etiqueta').fill(label)
      await labels.getByLabel('Nova etiqueta').press('Enter')
    }
    await expect
      .poll(() => labels.getByTestId('label-chip').allInnerTexts())
      .toEqual([`# financiamento ${tag}`, `# visita ${tag}`])
    await labels.getByRole('button', { name: `Remover a etiqueta visita ${tag}` }).click()
    await expect.poll(() => labels.getByTestId('label-chip').allInnerTexts()).toEqual([`# financiamento ${tag}`])

    // Resolved: the badge and the thread say so, and "Abertas" (the inbox's first view) no longer lists it.
    const status = page.getByTestId('conversation-status')
    await status.getByRole('button', { name: 'Resolver' }).click()
    await expect.poll(() => status.getByTestId('status-badge').innerText()).toBe('Resolvida')
    await expect
      .poll(() => page.getByTestId('status-entry').filter({ hasText: 'Ana Souza resolveu a conversa' }).count())
      .toBe(1)
    await open(page, '/app/inbox')
    const item = page.getByTestId('conversation-item').filter({ hasText: name })
    expect(await page.getByTestId('status-tabs').locator('[aria-current="page"]').innerText()).toBe('Abertas')
    expect(await item.count()).toBe(0)
    await page.getByTestId('status-tabs').getByRole('link', { name: 'Resolvidas' }).click()
    await page.waitForURL(/status=resolved/)
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.getByTestId('status-badge').innerText()).toBe('Resolvida')
    expect(await item.getByTestId('label-chip').innerText()).toBe(`# financiamento ${tag}`)
    // The label filters the inbox (the "mais filtros" choice, in the URL).
    await open(page, `/app/inbox?status=all&label=${encodeURIComponent(`financiamento ${tag}`)}`)
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(1)
    expect(await item.count()).toBe(1)
    await page.getByTestId('status-tabs').getByRole('link', { name: 'Resolvidas' }).click()
    await page.waitForURL(/status=resolved/)

    // The contact writes again: the conversation is open, back in "Abertas", and the thread says why.
    await contactWrites(page, accountId, from, name, 'Posso visitar amanhã?')
    await page.getByTestId('status-tabs').getByRole('link', { name: 'Abertas' }).click()
    await page.waitForURL(/status=open/)
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    await expect
      .poll(() => page.getByTestId('conversation-status').getByTestId('status-badge').innerText())
      .toBe('Aberta')
    expect(await page.getByTestId('status-entry').filter({ hasText: 'o contato escreveu de novo' }).count()).toBe(1)

    // Ticked in the list, parked as pending in one go (the bulk bar), and labelled.
    await open(page, `/app/inbox?status=all&label=${encodeURIComponent(`financiamento ${tag}`)}`)
    await expect.poll(() => item.count()).toBe(1)
    await page.getByRole('checkbox', { name: `Selecionar ${name}` }).check()
    const bar = page.getByTestId('conversations-bulk-bar')
    expect(await bar.innerText()).toContain('1 selecionada(s)')
    await bar.getByRole('button', { name: 'Pendente' }).click()
    await expect.poll(() => page.getByText('1 conversa(s) alterada(s).').count()).toBeGreaterThan(0)
    await expect.poll(() => item.getByTestId('status-badge').innerText()).toBe('Pendente')
    await expect.poll(() => bar.count()).toBe(0)
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)
    expect(page.errors).toEqual([])
  })

  it('the whole page ticked, then all that match the filters, resolved in one go', async () => {
    const tag = `lote${Date.now().toString(36)}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 1280 })
    await open(page, '/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    for (let i = 0; i < 6; i++)
      await contactWrites(page, accountId, `+55 41 9${String(Date.now() + i).slice(-8)}`, `Contato ${tag} ${i}`, 'Oi')
    await open(page, `/app/inbox?q=${tag}&pageSize=5`)
    const item = page.getByTestId('conversation-item')
    await expect.poll(() => item.count()).toBe(5)
    await page.getByTestId('conversation-select-page').check()
    const bar = page.getByTestId('conversations-bulk-bar')
    expect(await bar.getByTestId('conversations-bulk-count').innerText()).toBe('5 selecionada(s)')
    await bar.getByRole('button', { name: 'Selecionar todas as 6 que combinam com os filtros' }).click()
    expect(await bar.getByTestId('conversations-bulk-count').innerText()).toBe(
      'Todas as 6 que combinam com os filtros estão selecionadas.',
    )
    await bar.getByRole('button', { name: 'Resolver' }).click()
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: '6 conversa(s) alterada(s).' }).count()).toBe(1)
    // Out of "Abertas", all six in "Resolvidas".
    await expect.poll(() => item.count()).toBe(0)
    await open(page, `/app/inbox?q=${tag}&status=resolved`)
    await expect.poll(() => item.count()).toBe(6)

    // Labelled, then the label taken off again, from the same bar.
    await page.getByTestId('conversation-select-page').check()
    await bar.getByLabel('Etiqueta para as selecionadas').fill('campanha-x')
    await bar.getByRole('button', { name: 'Etiquetar' }).click()
    await expect.poll(() => page.getByTestId('conversation-item').filter({ hasText: 'campanha-x' }).count()).toBe(6)
    // The view as CSV: its filters (the resolved ones), each conversation with its status and labels.
    const href = await page.getByRole('link', { name: 'Exportar CSV' }).getAttribute('href')
    expect(href).toBe(`/app/conversations.csv?q=${tag}&status=resolved`)
    const [head, ...lines] = (await (await page.request.get(href!)).text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(head).toMatch(/^Contato;Telefone;Situação;Etiquetas/)
    expect(lines).toHaveLength(6)
    expect(lines.every((l) => l.includes('Resolvida') && l.includes('campanha-x'))).toBe(true)
    await page.getByTestId('conversation-select-page').check()
    await bar.getByLabel('Etiqueta para as selecionadas').fill('campanha-x')
    await bar.getByRole('button', { name: 'Tirar etiqueta' }).click()
    await expect.poll(() => page.getByTestId('conversation-item').filter({ hasText: 'campanha-x' }).count()).toBe(0)
    expect(page.errors).toEqual([])
  })
})
