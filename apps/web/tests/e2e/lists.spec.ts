import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { signedIn as signInAs } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const signedIn = (email: string, width?: number) => signInAs(browser, email, { width })

const names = (page: Page) => page.getByTestId('lead-row').locator('td:nth-child(2) a').allInnerTexts()

describe('lists: filters, sorting, pages, columns and saved views', () => {
  it('composes filters from the form, sorts by a header, and pages forward and back with a total', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/leads')
    await page.locator('summary', { hasText: 'Todas as etapas' }).click()
    await page.getByRole('checkbox', { name: 'Novo' }).check()
    await page.getByRole('checkbox', { name: 'Contatado' }).check()
    await page.getByRole('button', { name: 'Filtrar' }).click()
    await page.waitForURL(/status=new&status=contacted/)
    // The URL changes as the navigation starts; the rows follow when the loader answers.
    // After the selection box (decision 028), the name and the phones.
    const statuses = () => page.getByTestId('lead-row').locator('td:nth-child(4)').allInnerTexts()
    await expect.poll(async () => (await statuses()).every((s) => s === 'Novo' || s === 'Contatado')).toBe(true)
    expect((await statuses()).length).toBeGreaterThan(0)
    expect(await page.getByTestId('list-total').innerText()).toMatch(/^\d+ leads$/)

    await page.goto('/app/leads?sort=createdAt')
    await page.getByRole('link', { name: 'Nome' }).click()
    await page.waitForURL(/sort=name&dir=asc/)
    const folded = (n: string) =>
      n
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toLowerCase()
    const isSorted = (xs: string[]) => xs.map(folded).every((x, i, all) => i === 0 || all[i - 1]! <= x)
    await expect.poll(async () => isSorted(await names(page))).toBe(true)
    const first = await names(page)
    expect(first).toHaveLength(25)
    await page.getByRole('link', { name: 'Próxima' }).click()
    await page.waitForURL(/after=/)
    await expect.poll(async () => (await names(page))[0] !== first[0]).toBe(true)
    const second = await names(page)
    expect(second.filter((n) => first.includes(n) && folded(n) !== folded(first[24]!))).toEqual([])
    expect(isSorted([first[24]!, ...second])).toBe(true)
    await page.getByRole('link', { name: 'Anterior' }).click()
    await page.waitForURL(/before=/)
    await expect.poll(() => names(page)).toEqual(first)
    expect(page.url()).not.toContain('page=')
    expect((page as Page & { errors: string[] }).errors).toEqual([])
  })

  it('chooses columns, and a saved shared view opens the same list for a colleague', async () => {
    const ana = await signedIn('ana.souza@horizonte.demo')
    await ana.goto('/app/leads?source=portal')
    await ana.locator('summary', { hasText: 'Colunas' }).click()
    await ana.getByRole('checkbox', { name: 'E-mail' }).check()
    await ana.getByRole('checkbox', { name: 'Origem' }).uncheck()
    await ana.getByRole('button', { name: 'Aplicar' }).click()
    await ana.waitForURL(/cols=/)
    await expect.poll(() => ana.getByRole('columnheader').allInnerTexts()).toContain('E-mail')
    expect(await ana.getByRole('columnheader').allInnerTexts()).not.toContain('Origem')
    expect(new URL(ana.url()).searchParams.get('source')).toBe('portal')

    await ana.getByTestId('views-menu').click()
    await ana.getByRole('menuitem', { name: 'Salvar como nova visão…' }).click()
    await ana.getByLabel('Nome da visão').fill('Portal com e-mail')
    await ana.getByLabel('Compartilhar com toda a imobiliária').check()
    await ana.getByRole('button', { name: 'Salvar' }).click()
    await ana.waitForURL(/view=[0-9a-f-]{36}/)
    await expect.poll(() => ana.getByTestId('views-menu').innerText()).toContain('Portal com e-mail')
    await expect.poll(() => ana.getByRole('dialog').count()).toBe(0)
    const link = new URL(ana.url())

    const bruno = await signedIn('bruno.lima@horizonte.demo')
    await bruno.goto('/app/leads')
    await bruno.getByTestId('views-menu').click()
    await bruno.getByRole('menuitem', { name: /Portal com e-mail/ }).click()
    await bruno.waitForURL(/view=/)
    const opened = new URL(bruno.url())
    expect(opened.searchParams.get('source')).toBe('portal')
    expect(opened.searchParams.get('view')).toBe(link.searchParams.get('view'))
    // The URL changes as the navigation starts; the table follows when the loader answers.
    await expect.poll(() => bruno.getByRole('columnheader').allInnerTexts()).toContain('E-mail')
    // Agents see the view but cannot change someone else's (checked once the open menu shows the view's actions).
    await bruno.getByTestId('views-menu').click()
    await expect.poll(() => bruno.getByRole('menuitem', { name: 'Fechar visão' }).count()).toBe(1)
    expect(await bruno.getByRole('menuitem', { name: 'Excluir visão' }).count()).toBe(0)
  })

  it('works on a phone: filters and views fit, and a broken link keeps the filters it understands', async () => {
    // Bruno, not Carla: the password-reset spec changes Carla's password.
    const page = await signedIn('bruno.lima@horizonte.demo', 375)
    await page.goto('/app/leads?q=a&status=bogus&after=garbage')
    expect(await page.getByRole('status').filter({ hasText: 'foram ignorados' }).innerText()).toContain('status')
    expect(await page.getByRole('searchbox').first().inputValue()).toBe('a')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.goto('/app/inbox?waiting=true')
    expect(await page.getByTestId('waiting-filter').getAttribute('aria-current')).toBe('true')
  })
})
