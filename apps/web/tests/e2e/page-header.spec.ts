import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const fits = (page: { evaluate: <T>(f: () => T) => Promise<T> }) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

/**
 * Issue 18's page header: title, primary action, and the secondary actions as buttons on a laptop but one "more
 * actions" menu on a phone, where five buttons wrapped into a wall above the list.
 */
describe('page header', () => {
  it('on a laptop the secondary actions are buttons; on a phone they are one menu that works', async () => {
    const laptop = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(laptop, '/app/leads')
    expect(await laptop.getByRole('link', { name: 'Exportar CSV' }).isVisible()).toBe(true)
    expect(await laptop.getByRole('button', { name: 'Mais ações' }).count()).toBe(0)
    expect(await laptop.getByRole('link', { name: 'Novo lead' }).isVisible()).toBe(true)

    const phone = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(phone, '/app/leads?status=new')
    expect(await phone.getByRole('link', { name: 'Exportar CSV' }).count()).toBe(0)
    expect(await phone.getByRole('link', { name: 'Novo lead' }).isVisible()).toBe(true)
    const more = phone.getByRole('button', { name: 'Mais ações' })
    await more.click()
    // The export keeps the list's filters, as the button does.
    expect(await phone.getByRole('menuitem', { name: 'Exportar CSV' }).getAttribute('href')).toBe(
      '/app/leads.csv?status=new',
    )
    await phone.keyboard.press('Escape')
    await expect.poll(() => phone.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Mais ações')
    await more.click()
    await phone.getByRole('menuitem', { name: 'Importar planilha' }).click()
    await phone.waitForURL(/\/app\/imports$/)
    expect(await fits(phone)).toBe(true)

    // A record's page: edit and delete in the menu, the status beside it.
    await open(phone, '/app/leads')
    await phone.getByTestId('record-card').first().getByRole('link').first().click()
    await phone.getByTestId('lead-name').waitFor()
    expect(await fits(phone)).toBe(true)
    await phone.getByRole('button', { name: 'Mais ações' }).click()
    // The menu's code loads on the first press: wait for the item, do not glance.
    await phone.getByRole('menuitem', { name: 'Mover para a lixeira' }).waitFor()
    await phone.getByRole('menuitem', { name: 'Editar lead' }).click()
    await phone.waitForURL(/\/edit$/)
    expect(laptop.errors.concat(phone.errors)).toEqual([])
  })

  it('a manager moves a lead to the trash from the phone’s menu', async () => {
    const phone = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(phone, '/app/leads/new')
    await phone.getByLabel('Nome').fill('Lead Do Menu')
    await phone.getByLabel('Telefones').fill('11 95432-7777')
    await phone.getByRole('button', { name: 'Salvar lead' }).click()
    await phone.getByTestId('lead-name').waitFor()
    phone.on('dialog', (d) => void d.accept())
    await phone.getByRole('button', { name: 'Mais ações' }).click()
    await phone.getByRole('menuitem', { name: 'Mover para a lixeira' }).click()
    await phone.waitForURL(/\/app\/leads\?deleted=1$/)
  })
})
