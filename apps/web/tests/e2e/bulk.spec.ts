import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { launchBrowser } from './browser'
import { open, pick, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * Decision 028 in the browser: a manager ticks two leads and hands them to an agent, then selects every lead the
 * filter matches across pages and tags them all; on a phone the bar fits the screen.
 */
describe('bulk actions on the leads list', () => {
  it('tick rows → assign; select all that match → tag', async () => {
    const tag = `lote-${Date.now().toString(36)}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 1280 })
    await open(page, '/app/leads')
    for (let i = 0; i < 7; i++) {
      const res = await page.request.post('/api/trpc/leads.create', {
        data: { data: { name: `Em massa ${tag} ${i}`, email: `${tag}-${i}@example.test`, tags: [tag] } },
      })
      expect(res.status()).toBe(200)
    }
    await open(page, `/app/leads?tags=${tag}&pageSize=5&sort=name&dir=asc`)
    const rows = page.getByTestId('lead-row')
    await expect.poll(() => rows.count()).toBe(5)

    // Two ticked rows go to Bruno. (By role: the phone's cards, hidden here, carry the same labels.)
    await page.getByRole('checkbox', { name: `Selecionar Em massa ${tag} 0`, exact: true }).check()
    await page.getByRole('checkbox', { name: `Selecionar Em massa ${tag} 1`, exact: true }).check()
    const bar = page.getByTestId('bulk-bar')
    expect(await bar.getByTestId('bulk-count').innerText()).toBe('2 selecionados')
    await bar.getByLabel('Ações em massa').selectOption('assign')
    await pick(page, bar.getByLabel('Atribuir a'), 'Bruno Lima')
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    const toasts = page.getByTestId('toast').filter({ hasText: '2 de 2 leads alterados.' })
    await expect.poll(() => toasts.count()).toBe(1)
    // Finishing reloads the list once: the toast is not repeated by the reload it causes (it was, in a loop).
    await page.waitForLoadState('networkidle')
    expect(await toasts.count()).toBe(1)
    await open(page, `/app/leads?tags=${tag}&pageSize=5&sort=name&dir=asc&cols=assignee`)
    await expect.poll(() => rows.filter({ hasText: 'Bruno Lima' }).count()).toBe(2)

    // The whole page, then all 7 that match the filter, across pages.
    await page.getByRole('checkbox', { name: 'Selecionar todos os leads desta página', exact: true }).check()
    await bar.getByRole('button', { name: 'Selecionar todos os 7 que combinam com os filtros' }).click()
    expect(await bar.getByTestId('bulk-count').innerText()).toBe(
      'Todos os 7 que combinam com os filtros estão selecionados.',
    )
    await bar.getByLabel('Ações em massa').selectOption('addTag')
    await bar.getByLabel('Tag').fill(`${tag}-b`)
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: '7 de 7 leads alterados.' }).count()).toBe(1)
    await open(page, `/app/leads?tags=${tag}-b&pageSize=25`)
    await expect.poll(() => rows.count()).toBe(7)

    // On a phone the bar wraps inside the screen.
    await page.setViewportSize({ width: 375, height: 800 })
    await page.getByRole('checkbox', { name: 'Selecionar todos os leads desta página', exact: true }).check()
    await bar.waitFor()
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)
  })

  it('clients: tick → tag; all that match → assign', async () => {
    const tag = `cart-${Date.now().toString(36)}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 1280 })
    await open(page, '/app/clients')
    for (let i = 0; i < 6; i++) {
      const res = await page.request.post('/api/trpc/clients.create', {
        data: { data: { name: `Carteira ${tag} ${i}`, types: ['buyer'], tags: [tag] } },
      })
      expect(res.status()).toBe(200)
    }
    await open(page, `/app/clients?tags=${tag}&pageSize=5&sort=name&dir=asc&cols=tags,assignee`)
    const rows = page.getByTestId('client-row')
    await expect.poll(() => rows.count()).toBe(5)
    await page.getByRole('checkbox', { name: `Selecionar Carteira ${tag} 0`, exact: true }).check()
    const bar = page.getByTestId('bulk-bar')
    await bar.getByLabel('Ações em massa').selectOption('addTag')
    await bar.getByLabel('Tag').fill('vip')
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: '1 de 1 clientes alterados.' }).count()).toBe(1)
    await expect.poll(() => rows.filter({ hasText: 'vip' }).count()).toBe(1)

    await page.getByRole('checkbox', { name: 'Selecionar todos os clientes desta página', exact: true }).check()
    await bar.getByRole('button', { name: 'Selecionar todos os 6 que combinam com os filtros' }).click()
    // Clients have no status to move to.
    expect(await bar.getByLabel('Ações em massa').locator('option[value="status"]').count()).toBe(0)
    await bar.getByLabel('Ações em massa').selectOption('assign')
    await pick(page, bar.getByLabel('Atribuir a'), 'Bruno Lima')
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: '6 de 6 clientes alterados.' }).count()).toBe(1)
    await open(page, `/app/clients?tags=${tag}&pageSize=25&cols=assignee`)
    await expect.poll(() => rows.filter({ hasText: 'Bruno Lima' }).count()).toBe(6)

    // The view as CSV: its filter, every row, whatever the page size.
    const href = await page.getByRole('link', { name: 'Exportar CSV' }).getAttribute('href')
    expect(href).toBe(`/app/clients.csv?tags=${tag}`)
    const [head, ...lines] = (await (await page.request.get(href!)).text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(head).toContain('Nome;')
    expect(lines).toHaveLength(6)
    expect(lines.filter((l) => l.includes('Bruno Lima'))).toHaveLength(6)
    expect(lines.filter((l) => l.includes('vip'))).toHaveLength(1)
  })

  it('properties: tick cards → reserved; on a phone the grid ticks too', async () => {
    const hood = `Lote ${Date.now().toString(36)}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(page, '/app/properties')
    for (let i = 0; i < 2; i++) {
      const res = await page.request.post('/api/trpc/properties.create', {
        data: {
          data: {
            title: `Casa ${hood} ${i}`,
            type: 'house',
            purpose: 'sale',
            salePrice: 90_000_000,
            neighbourhood: hood,
            city: 'São Paulo',
            features: [],
            assignedTo: null,
            ownerClientId: null,
          },
        },
      })
      expect(res.status()).toBe(200)
    }
    await open(page, `/app/properties?neighbourhood=${encodeURIComponent(hood)}`)
    const cards = page.getByTestId('property-card')
    await expect.poll(() => cards.count()).toBe(2)
    await page.getByRole('checkbox', { name: 'Selecionar todos os imóveis desta página', exact: true }).check()
    const bar = page.getByTestId('bulk-bar')
    expect(await bar.getByTestId('bulk-count').innerText()).toBe('2 selecionados')
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)
    await bar.getByLabel('Ações em massa').selectOption('status')
    await bar.getByLabel('Mover para').selectOption({ label: 'Reservado' })
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: '2 de 2 imóveis alterados.' }).count()).toBe(1)
    await expect.poll(() => cards.filter({ hasText: 'Reservado' }).count()).toBe(2)

    // The view as a workbook: prices are numbers, statuses in words. On a phone the export is in the page's menu.
    await page.getByRole('button', { name: 'Mais ações' }).click()
    const href = await page.getByRole('menuitem', { name: 'Exportar XLSX' }).getAttribute('href')
    await page.keyboard.press('Escape')
    expect(href).toBe(`/app/properties.xlsx?neighbourhood=${encodeURIComponent(hood).replace(/%20/g, '+')}`)
    const xlsx = await page.request.get(href!)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await xlsx.body()) as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    const titles = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(sheet.rowCount).toBe(3)
    for (const r of [2, 3]) {
      const cellOf = (title: string) => sheet.getRow(r).getCell(titles.indexOf(title) + 1).value
      expect(cellOf('Situação')).toBe('Reservado')
      expect(cellOf('Preço de venda')).toBe(900_000)
    }
  })
})
