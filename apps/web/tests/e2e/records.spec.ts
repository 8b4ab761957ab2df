import sharp from 'sharp'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn as signInAs } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const signedIn = (email: string, opts: { width?: number } = {}) => signInAs(browser, email, opts)

async function qualifiedLead(page: Page, name: string, phone: string) {
  await open(page, '/app/leads/new')
  await page.getByLabel('Nome').fill(name)
  await page.getByLabel('Telefones').fill(phone)
  await page.getByRole('button', { name: 'Salvar lead' }).click()
  // The lead's page says it was created, then drops the flag from the address.
  await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
  await page.getByTestId('lead-name').waitFor()
  const id = new URL(page.url()).pathname.split('/').pop()!
  await page.getByTestId('status-select').selectOption('qualified')
  await expect.poll(() => page.getByTestId('convert-open').count()).toBe(1)
  return id
}

const jpeg = async (color: string) =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: color } })
    .jpeg()
    .toBuffer()

describe('clients in the browser', () => {
  it('converts a qualified lead into a new client, then links a second lead to that client with the search picker', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const first = await qualifiedLead(page, 'Heitor Conversão', '11 94321-1001')
    await page.getByTestId('convert-open').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Converter' }).click()
    await expect.poll(() => page.getByTestId('converted-to').count()).toBe(1)
    expect(await page.getByTestId('status-select').count()).toBe(0)
    expect(await page.getByTestId('timeline').innerText()).toContain('converteu no cliente Heitor Conversão')
    await page.getByTestId('converted-to').getByRole('link', { name: 'Heitor Conversão' }).click()
    await page.waitForURL(/\/app\/clients\/[0-9a-f-]{36}$/)
    const clientUrl = page.url()
    expect(await page.getByTestId('client-name').innerText()).toBe('Heitor Conversão')
    expect(await page.getByTestId('client-leads').innerText()).toContain('Heitor Conversão')

    await qualifiedLead(page, 'Heitor (segundo interesse)', '11 94321-1002')
    await page.getByTestId('convert-open').click()
    await dialog.getByLabel('Vincular a um cliente existente').check()
    await dialog.getByRole('combobox').fill('Heitor Conv')
    await dialog.getByTestId('picker-item').filter({ hasText: 'Heitor Conversão' }).click()
    await expect.poll(() => dialog.getByTestId('picked-client').innerText()).toBe('Heitor Conversão')
    await dialog.getByRole('button', { name: 'Converter' }).click()
    await expect.poll(() => page.getByTestId('converted-to').innerText()).toContain('Heitor Conversão')
    await page.goto(clientUrl)
    const leads = await page.getByTestId('client-leads').innerText()
    expect(leads).toContain('Heitor (segundo interesse)')
    expect(leads).toContain('Heitor Conversão')
    expect(first).toMatch(/[0-9a-f-]{36}/)
  })

  it('checks the CPF inline, saves a valid one formatted, and finds the client by its digits', async () => {
    const page = await signedIn('bruno.lima@horizonte.demo')
    await page.goto('/app/clients/new')
    await page.getByLabel('Nome').fill('Joana Documento')
    await page.getByLabel('Locador').check()
    await page.getByLabel('CPF / CNPJ').fill('111.444.777-00')
    await page.getByRole('button', { name: 'Salvar cliente' }).click()
    await expect.poll(() => page.getByText('CPF/CNPJ inválido: confira os dígitos.').count()).toBe(1)
    expect(page.url()).toMatch(/\/app\/clients\/new$/)
    await page.getByLabel('CPF / CNPJ').fill('11144477735')
    await page.getByLabel('Data de nascimento').fill('1985-07-14')
    await page.getByRole('button', { name: 'Salvar cliente' }).click()
    await page.waitForURL(/\/app\/clients\/[0-9a-f-]{36}(\?created=1)?$/)
    await expect.poll(() => page.getByText('111.444.777-35').count()).toBe(1)
    expect(await page.getByText('14/07/1985').count()).toBe(1)
    await page.goto('/app/clients?q=11144477735')
    expect(await page.getByTestId('client-row').allInnerTexts()).toEqual([expect.stringContaining('Joana Documento')])
  })
})

describe('properties in the browser', () => {
  it('creates a property with a generated code, uploads photos with progress, picks the cover, rejects a non-image, links an interested lead', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const leadId = await qualifiedLead(page, 'Iara Interessada', '11 94321-2001')
    await page.goto('/app/properties/new')
    await page.getByLabel('Título').fill('Casa com quintal no Butantã')
    await page.getByLabel('Tipo').selectOption('house')
    await page.getByLabel('Preço de venda').fill('980.000,00')
    await page.getByLabel('Quartos').fill('3')
    await page.getByLabel('Suítes').fill('4')
    await page.getByRole('button', { name: 'Salvar imóvel' }).click()
    // Cross-field rule, checked in the browser by the shared schema.
    await expect.poll(() => page.getByText('Não pode passar do número de quartos.').count()).toBe(1)
    await page.getByLabel('Suítes').fill('1')
    await page.getByLabel('Bairro').fill('Butantã')
    await page.getByRole('button', { name: 'Salvar imóvel' }).click()
    await page.waitForURL(/\/app\/properties\/[0-9a-f-]{36}(\?created=1)?$/)
    expect(await page.getByTestId('property-code').innerText()).toMatch(/^CA\d{4} · Casa · Venda$/)
    expect(await page.getByText('R$ 980.000').count()).toBe(1)

    await page.getByTestId('photo-input').setInputFiles([
      { name: 'fachada.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#aa5533') },
      { name: 'sala.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#3355aa') },
    ])
    await expect.poll(() => page.getByTestId('photo').count(), { timeout: 15_000 }).toBe(2)
    await expect.poll(() => page.getByText('2 foto(s) adicionada(s).').count()).toBeGreaterThan(0)
    const firstName = () => page.getByTestId('photo').first().locator('img').getAttribute('data-photo-name')
    expect(await firstName()).toBe('fachada.jpg')
    await page.getByTestId('photo').nth(1).getByRole('button', { name: 'Tornar capa' }).click()
    await expect.poll(firstName).toBe('sala.jpg')
    // The order survives a reload (it was saved, not only shown).
    await page.reload()
    await expect.poll(firstName).toBe('sala.jpg')
    const loaded = await page
      .getByTestId('photo')
      .first()
      .locator('img')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)
    expect(loaded).toBe(480)

    await page
      .getByTestId('photo-input')
      .setInputFiles([{ name: 'contrato.pdf', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.4 not an image') }])
    await expect
      .poll(() => page.getByText('“contrato.pdf” não é uma imagem aceita (JPEG, PNG, WebP, AVIF).').count())
      .toBeGreaterThan(0)
    expect(await page.getByTestId('photo').count()).toBe(2)

    await page.getByRole('button', { name: 'Adicionar lead interessado' }).click()
    await page.getByPlaceholder('Buscar por nome, telefone ou e-mail').fill('Iara Inter')
    await page.getByTestId('picker-item').filter({ hasText: 'Iara Interessada' }).click()
    await expect.poll(() => page.getByTestId('interested-leads').innerText()).toContain('Iara Interessada')
    await page.goto(`/app/leads/${leadId}`)
    await expect.poll(() => page.getByTestId('interest').innerText()).toContain('Casa com quintal no Butantã')
    expect(await page.getByTestId('timeline').innerText()).toContain('marcou interesse em')

    await page.goto('/app/properties?q=quintal+no+Butant')
    const card = page.getByTestId('property-card').filter({ hasText: 'Casa com quintal no Butantã' })
    expect(await card.count()).toBe(1)
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(480)
    expect((page as Page & { errors: string[] }).errors).toEqual([])
  })

  it('filters the seeded listings and stays usable at phone width', async () => {
    const page = await signedIn('ana.souza@horizonte.demo', { width: 375 })
    await page.goto('/app/properties?purpose=rent&layout=grid')
    const cards = page.getByTestId('property-card')
    expect(await cards.count()).toBeGreaterThan(0)
    for (const text of await cards.allInnerTexts()) expect(text).toContain('/mês')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    // On a phone the filters other than the search fold behind one toggle that says how many are on.
    const toggle = page.getByTestId('filters-toggle')
    expect(await toggle.innerText()).toMatch(/Filtros\s*1/)
    const purpose = page.locator('select[name=purpose]')
    expect(await purpose.isVisible()).toBe(false)
    expect(await page.getByRole('searchbox').isVisible()).toBe(true)
    // They open as a bottom sheet over the page: Escape closes it and focus goes back to the toggle.
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    const sheet = page.getByRole('dialog', { name: 'Filtros' })
    await sheet.waitFor()
    expect(await sheet.evaluate((el) => el.contains(document.activeElement))).toBe(true)
    const box = (await sheet.boundingBox())!
    expect(Math.round(box.y + box.height)).toBe(800)
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'hidden' })
    await expect.poll(() => toggle.evaluate((el) => el === document.activeElement)).toBe(true)
    await toggle.click()
    await purpose.selectOption('sale')
    await sheet.getByRole('button', { name: 'Ver resultados' }).click()
    await page.waitForURL(/purpose=sale/)
    await sheet.waitFor({ state: 'hidden' })
    await expect.poll(() => cards.count()).toBeGreaterThan(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await page.goto('/app/properties?layout=table&sort=price&dir=asc&purpose=sale')
    expect(await page.getByTestId('property-row').count()).toBeGreaterThan(0)
    await page.goto('/app/clients')
    expect(await page.getByTestId('client-row').count()).toBe(25)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
  })

  it('agents cannot delete, and see the trash only as managers', async () => {
    const agent = await signedIn('bruno.lima@horizonte.demo')
    await agent.goto('/app/properties')
    // At desktop width the filters sit in the bar; there is nothing to unfold.
    expect(await agent.getByTestId('filters-toggle').isVisible()).toBe(false)
    expect(await agent.locator('select[name=purpose]').isVisible()).toBe(true)
    expect(await agent.getByRole('link', { name: 'Lixeira' }).count()).toBe(0)
    await agent.getByTestId('property-card').first().click()
    await agent.waitForURL(/\/app\/properties\/[0-9a-f-]{36}$/)
    expect(await agent.getByRole('button', { name: 'Mover para a lixeira' }).count()).toBe(0)
    const manager = await signedIn('ana.souza@horizonte.demo')
    // Hydrated first: before that, the button is plain HTML and its confirmation never runs.
    await open(manager, agent.url())
    manager.once('dialog', (d) => void d.accept())
    await manager.getByRole('button', { name: 'Mover para a lixeira' }).click()
    await manager.waitForURL(/\/app\/properties\?deleted=1$/)
    await open(manager, '/app/properties/trash')
    const name = await manager.getByTestId('trash-row').first().locator('td').first().innerText()
    const row = manager.getByTestId('trash-row').filter({ hasText: name })
    await row.getByRole('button', { name: 'Restaurar' }).click()
    await manager.getByTestId('toast').filter({ hasText: 'Imóvel restaurado.' }).waitFor()
    await row.waitFor({ state: 'detached' })
  })
})
