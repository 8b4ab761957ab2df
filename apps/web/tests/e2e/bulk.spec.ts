import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

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

    // Two ticked rows go to Bruno.
    await page.getByLabel(`Selecionar Em massa ${tag} 0`).check()
    await page.getByLabel(`Selecionar Em massa ${tag} 1`).check()
    const bar = page.getByTestId('bulk-bar')
    expect(await bar.getByTestId('bulk-count').innerText()).toBe('2 selecionados')
    await bar.getByLabel('Ações em massa').selectOption('assign')
    await bar.getByLabel('Atribuir a').selectOption({ label: 'Bruno Lima' })
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    await expect.poll(() => page.getByText('2 de 2 leads alterados.').count()).toBe(1)
    await open(page, `/app/leads?tags=${tag}&pageSize=5&sort=name&dir=asc&cols=assignee`)
    await expect.poll(() => rows.filter({ hasText: 'Bruno Lima' }).count()).toBe(2)

    // The whole page, then all 7 that match the filter, across pages.
    await page.getByLabel('Selecionar todos os leads desta página').check()
    await bar.getByRole('button', { name: 'Selecionar todos os 7 que combinam com os filtros' }).click()
    expect(await bar.getByTestId('bulk-count').innerText()).toBe(
      'Todos os 7 que combinam com os filtros estão selecionados.',
    )
    await bar.getByLabel('Ações em massa').selectOption('addTag')
    await bar.getByLabel('Tag').fill(`${tag}-b`)
    await bar.getByRole('button', { name: 'Aplicar' }).click()
    await expect.poll(() => page.getByText('7 de 7 leads alterados.').count()).toBe(1)
    await open(page, `/app/leads?tags=${tag}-b&pageSize=25`)
    await expect.poll(() => rows.count()).toBe(7)

    // On a phone the bar wraps inside the screen.
    await page.setViewportSize({ width: 375, height: 800 })
    await page.getByLabel('Selecionar todos os leads desta página').check()
    await bar.waitFor()
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)
  })
})
