import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noSlots, startOpenAiStandIn } from '../../../../packages/api/tests/stand-ins/openai'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** Adds a sandbox number named `label` (unique per spec: specs share the seeded agency) in an AI mode; its id. */
async function sandboxNumber(page: Page, label: string, aiMode: 'auto' | 'assist') {
  await page.goto('/app/settings/whatsapp')
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Adicionar número sandbox' }) })
  await form.getByLabel('Nome').fill(label)
  await form.getByRole('button', { name: 'Adicionar número sandbox' }).click()
  const account = page
    .getByTestId('whatsapp-accounts')
    .locator('li')
    .filter({ hasText: `${label} ·` })
  await expect.poll(() => account.count()).toBe(1)
  const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(await account.innerText())![1]!
  const set = await page.request.post('/api/trpc/whatsapp.setAccountAiMode', { data: { id: accountId, aiMode } })
  expect(set.status()).toBe(200)
  return accountId
}

/**
 * A contact writes to a sandbox number, as the sandbox panel does. `from` must be unique across the specs: a phone that
 * matches a lead another spec created links the conversation to that lead, under its name.
 */
async function contactWrites(page: Page, accountId: string, from: string, name: string, text: string) {
  const res = await page.request.post('/api/trpc/whatsapp.sandboxInject', { data: { accountId, from, name, text } })
  expect(res.status()).toBe(200)
}

/**
 * Decision 020 end to end, with the real worker: a contact writes to a number in `auto`, the built-in rules agent
 * greets and asks, the lead's qualification fills in live on its page, a person takes over and the bot stops.
 */
describe('the AI agent in the conversation', () => {
  it('the rules bot answers and asks, the lead page fills in live, and after a takeover the bot stays quiet', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    const accountId = await sandboxNumber(page, 'Qualificadora', 'auto')
    const write = (text: string) => contactWrites(page, accountId, '+55 11 95577-8899', 'Carla Nunes', text)

    await write('Oi! Vi um anúncio de vocês')
    await page.goto('/app/inbox?filter=ai')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Carla Nunes' })
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const conversationUrl = page.url()
    const bot = page.getByTestId('message').filter({ has: page.getByTestId('message-author') })
    // The greeting and the first question, marked as the AI's, arrive live.
    await expect.poll(() => bot.count(), { timeout: 20_000 }).toBe(2)
    expect(await bot.nth(0).innerText()).toContain('Olá, Carla!')
    expect(await bot.nth(1).innerText()).toContain('comprar ou para alugar?')
    expect(await bot.nth(1).getByTestId('message-author').innerText()).toBe('IA / integração')

    // The lead page, open while the contact answers: the qualification fills in without a reload.
    const leadHref = (await page
      .locator('a[href^="/app/leads/"]')
      .filter({ hasText: 'Carla Nunes' })
      .getAttribute('href'))!
    expect(leadHref).toMatch(/\/app\/leads\/[0-9a-f-]{36}/)
    await page.goto(leadHref)
    const qualification = page.getByTestId('lead-qualification')
    expect(await qualification.innerText()).toContain('Nada conhecido ainda')
    await page.locator('html[data-live]').waitFor({ state: 'attached' })
    await write('Quero alugar um apartamento em Pinheiros')
    const purpose = qualification.locator('[data-slot="purpose"]')
    await expect.poll(() => purpose.count(), { timeout: 20_000 }).toBe(1)
    expect(await purpose.innerText()).toContain('Alugar')
    expect(await purpose.innerText()).toContain('pela IA')
    expect(await qualification.locator('[data-slot="propertyTypes"]').innerText()).toContain('Apartamento')
    // The leads list filters by temperature and shows the score.
    await page.goto('/app/leads?q=Carla+Nunes&temperature=cold&cols=score,temperature')
    const row = page.getByTestId('lead-row').filter({ hasText: 'Carla Nunes' })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.innerText()).toMatch(/35[\s\S]*Frio/)
    // The export keeps the filters and carries the qualification, with who said so.
    const href = await page.getByRole('link', { name: 'Exportar CSV' }).getAttribute('href')
    expect(href).toMatch(/^\/app\/leads\.csv\?.*temperature=cold/)
    expect(href).not.toContain('cols=')
    const csv = await (await page.request.get(href!)).text()
    const [head, ...lines] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(head).toContain('Qualificação: Quer;')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('Carla Nunes')
    expect(lines[0]).toContain('Quer: pela IA')
    // The same view as a workbook: the score a number, the creation an Excel date in the agency's time.
    const xlsxHref = await page.getByRole('link', { name: 'Exportar XLSX' }).getAttribute('href')
    expect(xlsxHref).toBe(href!.replace('/app/leads.csv', '/app/leads.xlsx'))
    const xlsx = await page.request.get(xlsxHref!)
    expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await xlsx.body()) as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    const titles = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(sheet.rowCount).toBe(2)
    const cellOf = (title: string) => sheet.getRow(2).getCell(titles.indexOf(title) + 1).value
    expect(cellOf('Nome')).toBe('Carla Nunes')
    expect(cellOf('Pontuação')).toBe(35)
    expect(cellOf('Criado em')).toBeInstanceOf(Date)
    await page.goto('/app/leads?q=Carla+Nunes&temperature=hot')
    await expect.poll(() => page.getByTestId('lead-row').count()).toBe(0)

    // Back in the conversation: the bot asked for the budget. The manager takes over; the contact's next message
    // gets no answer from the bot.
    await page.goto(conversationUrl)
    await expect.poll(() => bot.count(), { timeout: 20_000 }).toBe(3)
    expect(await bot.nth(2).innerText()).toContain('Até quanto você pode pagar de aluguel por mês?')
    const header = page.getByTestId('conversation-control')
    await header.getByRole('button', { name: 'Assumir' }).click()
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com uma pessoa')
    await write('Até 4 mil')
    const contact = page.getByTestId('message').filter({ hasText: 'Até 4 mil' })
    await expect.poll(() => contact.count(), { timeout: 20_000 }).toBe(1)
    // With a person in control the bot neither answers nor reads: the contact's message scheduled no AI step (that
    // happens in the same transaction that stores it), so its being shown is enough to know none will come.
    await page.goto(leadHref)
    expect(await page.getByTestId('lead-qualification').locator('[data-slot="budgetMax"]').count()).toBe(0)
    await page.goto(conversationUrl)
    expect(await bot.count()).toBe(3)
    expect(page.errors).toEqual([])
  })

  it('a manager sets the agent’s words and guards in Settings from the keyboard; a bad value is refused inline', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/settings')
    const form = page.getByTestId('ai-settings')
    const phrases = form.getByLabel('Frases que passam para uma pessoa')
    const original = await phrases.inputValue()
    expect(original.split('\n')).toContain('falar com corretor')
    await form.getByLabel('Máximo de mensagens seguidas da IA').fill('0')
    await form.getByRole('button', { name: 'Salvar' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => form.getByText('Muito pequeno.').count()).toBeGreaterThan(0)
    await form.getByLabel('Máximo de mensagens seguidas da IA').fill('8')
    await phrases.fill(`${original}\nquero um humano`)
    await form.getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => page.getByText('Salvo', { exact: false }).count()).toBeGreaterThan(0)
    await page.reload()
    expect(
      (await page.getByTestId('ai-settings').getByLabel('Frases que passam para uma pessoa').inputValue()).split('\n'),
    ).toContain('quero um humano')
    // Back as it was, for the other tests of this agency.
    await page.getByTestId('ai-settings').getByLabel('Frases que passam para uma pessoa').fill(original)
    await page.getByTestId('ai-settings').getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => page.getByText('Salvo', { exact: false }).count()).toBeGreaterThan(0)
    await page.setViewportSize({ width: 375, height: 800 })
    await page.reload()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    expect(page.errors).toEqual([])
  })

  it('assist mode: the AI drafts, a person uses the draft and sends it; "Resumir conversa" summarises', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    const accountId = await sandboxNumber(page, 'Copiloto', 'assist')
    await contactWrites(page, accountId, '+55 11 95566-7788', 'Davi Prado', 'Quero comprar uma casa')
    await page.goto('/app/inbox')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Davi Prado' })
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const suggestion = page.getByTestId('ai-suggestion')
    await expect.poll(() => suggestion.getByTestId('ai-draft').count(), { timeout: 10_000 }).toBe(1)
    expect(await suggestion.getByTestId('ai-next-action').innerText()).toContain('perguntar onde')
    const draft = await suggestion.getByTestId('ai-draft').innerText()
    expect(draft).toContain('Olá, Davi! Obrigado pelo contato')
    // Nothing was sent by the AI.
    expect(
      await page
        .getByTestId('message')
        .filter({ has: page.getByTestId('message-author') })
        .count(),
    ).toBe(0)
    await suggestion.getByRole('button', { name: 'Usar' }).click()
    const composer = page.getByTestId('composer')
    await expect.poll(() => composer.inputValue()).toBe(draft)
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true)
    await composer.press('Enter')
    const header = page.getByTestId('conversation-control')
    await expect.poll(() => header.getByTestId('control-badge').innerText()).toBe('Com uma pessoa')

    await page.getByRole('button', { name: 'Resumir conversa' }).click()
    const summary = page.getByTestId('conversation-summary')
    await expect.poll(() => summary.count()).toBe(1)
    expect(await summary.innerText()).toContain('Quer comprar casa.')
    expect(await summary.innerText()).toContain('Falta saber: onde, o orçamento')
    expect(page.errors).toEqual([])
  })

  it('a manager connects a language model, tests it, chooses it, and the worker answers a contact with it', async () => {
    const KEY = 'sk-horizonte-e2e-key'
    const llm = await startOpenAiStandIn({ apiKey: KEY, models: ['gpt-4o-mini'] })
    llm.respond((r) => ({
      content: {
        messages: [
          {
            text: `Oi! Aqui é a IA da imobiliária. Você disse: ${r.messages.at(-1)!.content}. Para alugar ou comprar?`,
            property_id: null,
          },
        ],
        qualification: { ...noSlots, property_types: ['house'] },
        handoff: null,
      },
    }))
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    try {
      await page.goto('/app/settings')
      // Choosing a model before one is set up is refused on the field.
      const ai = page.getByTestId('ai-settings')
      await ai.getByLabel('Quem responde no modo automático').selectOption('openai_compatible')
      await ai.getByRole('button', { name: 'Salvar' }).click()
      await expect
        .poll(() => ai.getByText('Configure o modelo de linguagem antes de escolhê-lo.').count())
        .toBeGreaterThan(0)

      const form = page.getByTestId('ai-model')
      await form.getByLabel('URL da API').fill(llm.url)
      await form.getByLabel('Modelo').fill('gpt-4o-mini')
      await form.getByLabel('Chave da API').fill(KEY)
      await form.getByLabel('Chave da API').press('Enter')
      await expect.poll(() => form.getByText('Chave salva terminando em -key', { exact: false }).count()).toBe(1)
      // The key never comes back to the page.
      expect(await page.content()).not.toContain(KEY)
      expect(await form.getByLabel('Chave da API').inputValue()).toBe('')
      const test = page.getByTestId('ai-model-test')
      await test.getByRole('button', { name: 'Testar conexão' }).click()
      await expect.poll(() => test.getByRole('status').innerText()).toMatch(/^Conectado: gpt-4o-mini respondeu em/)
      expect(llm.requests.at(-1)!.authorization).toBe(`Bearer ${KEY}`)

      await ai.getByLabel('Quem responde no modo automático').selectOption('openai_compatible')
      await ai.getByRole('button', { name: 'Salvar' }).click()
      // Saved when a fresh page says so (a toast may still be the model form's).
      await expect
        .poll(async () => {
          const r = await page.request.get('/api/trpc/agency.get')
          return ((await r.json()) as { result: { data: { aiProvider: string } } }).result.data.aiProvider
        })
        .toBe('openai_compatible')

      const accountId = await sandboxNumber(page, 'Modelo de linguagem', 'auto')
      await contactWrites(page, accountId, '+55 11 95521-0471', 'Elisa Moura', 'Procuro uma casa')
      // The worker asks the model (the contact's words are the last message it reads).
      await expect
        .poll(() => llm.requests.some((r) => r.body.messages.at(-1)?.content === 'Procuro uma casa'), {
          timeout: 30_000,
        })
        .toBe(true)
      await page.goto('/app/inbox?filter=ai')
      const item = page.getByTestId('conversation-item').filter({ hasText: 'Elisa Moura' })
      await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1)
      await item.click()
      await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
      const bot = page.getByTestId('message').filter({ has: page.getByTestId('message-author') })
      await expect.poll(() => bot.count(), { timeout: 20_000 }).toBe(1)
      expect(await bot.nth(0).innerText()).toContain('Você disse: Procuro uma casa. Para alugar ou comprar?')

      // The call shows in the model's usage.
      await page.goto('/app/settings')
      const usage = page.getByTestId('ai-model-usage')
      await expect.poll(() => usage.count()).toBe(1)
      expect(await usage.innerText()).toMatch(/Chamadas\s*2/)
      expect(page.errors).toEqual([])
    } finally {
      // The other specs of this agency expect the built-in assistant.
      await page.goto('/app/settings')
      await page.getByTestId('ai-settings').getByLabel('Quem responde no modo automático').selectOption('rules')
      await page.getByTestId('ai-settings').getByRole('button', { name: 'Salvar' }).click()
      await expect
        .poll(async () => {
          const r = await page.request.get('/api/trpc/agency.get')
          return ((await r.json()) as { result: { data: { aiProvider: string } } }).result.data.aiProvider
        })
        .toBe('rules')
      await llm.close()
    }
  })

  it('a manager adds an FAQ answer from the keyboard; the bot answers a contact with it; the entry is deleted', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    // Hydrated first: a click on "Adicionar" before it posts the form natively and reloads the page, closing the panel.
    await open(page, '/app/settings')
    const card = page.getByTestId('faq')
    const adding = page.getByTestId('faq-new')
    await adding.locator('summary').click()
    // Required fields are checked before anything is sent.
    await adding.getByRole('button', { name: 'Adicionar' }).click()
    await expect.poll(() => adding.getByText('Obrigatório').count()).toBeGreaterThan(0)
    await adding.getByLabel('Pergunta').fill('Vocês aceitam animais?')
    await adding.getByLabel('Resposta').fill('Aceitamos! Quase todos os nossos imóveis aceitam pets.')
    await adding.getByLabel('Palavras-chave').fill('pet, cachorro, gato')
    await adding.getByLabel('Palavras-chave').press('Enter')
    const entry = card.getByTestId('faq-entry').filter({ has: page.locator('input[value="Vocês aceitam animais?"]') })
    await expect.poll(() => entry.count()).toBe(1)

    const accountId = await sandboxNumber(page, 'Perguntas', 'auto')
    await contactWrites(page, accountId, '+55 11 95533-2211', 'Fábio Lima', 'Bom dia, aceitam cachorro?')
    await page.goto('/app/inbox?filter=ai')
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Fábio Lima' })
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1)
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const bot = page.getByTestId('message').filter({ has: page.getByTestId('message-author') })
    await expect.poll(() => bot.count(), { timeout: 20_000 }).toBe(3)
    expect(await bot.nth(1).innerText()).toContain('Aceitamos! Quase todos os nossos imóveis aceitam pets.')
    expect(await bot.nth(2).innerText()).toContain('comprar ou para alugar?')

    await page.goto('/app/settings')
    await entry.getByRole('button', { name: 'Excluir' }).click()
    await expect.poll(() => entry.count()).toBe(0)
    expect(page.errors).toEqual([])
  })

  it('opening hours: a manager sets them and "horas úteis" for the return rule; a bad range is refused', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/settings')
    const hours = page.getByTestId('business-hours')
    expect(await hours.getByLabel('Segunda').inputValue()).toBe('09:00-18:00')
    const save = page.getByRole('button', { name: 'Salvar' }).first()
    await hours.getByLabel('Sábado').fill('18:00-09:00')
    await save.click()
    await expect
      .poll(() => hours.getByRole('alert').textContent())
      .toContain('Use faixas como 09:00-18:00, com o início antes do fim.')
    await hours.getByLabel('Sábado').fill('')
    await hours.getByLabel('Quarta').fill('09:00-12:00, 13:00-18:00')
    await page.getByLabel('Contar só o horário comercial (“2 horas úteis”)').check()
    await save.click()
    await expect.poll(() => page.getByText('Salvo', { exact: false }).count()).toBeGreaterThan(0)
    await page.reload()
    expect(await page.getByTestId('business-hours').getByLabel('Quarta').inputValue()).toBe('09:00-12:00, 13:00-18:00')
    expect(await page.getByTestId('business-hours').getByLabel('Sábado').inputValue()).toBe('')
    expect(await page.getByLabel('Contar só o horário comercial (“2 horas úteis”)').isChecked()).toBe(true)
    // Back as it was, for the other tests of this agency.
    await page.getByTestId('business-hours').getByLabel('Sábado').fill('09:00-13:00')
    await page.getByTestId('business-hours').getByLabel('Quarta').fill('09:00-18:00')
    await page.getByLabel('Contar só o horário comercial (“2 horas úteis”)').uncheck()
    await page.getByRole('button', { name: 'Salvar' }).first().click()
    await expect.poll(() => page.getByText('Salvo', { exact: false }).count()).toBeGreaterThan(0)
    expect(page.errors).toEqual([])
  })
})
