import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const lost = (page: Page) => page.getByTestId('connection-lost')

describe('losing the connection', () => {
  it('a navigation while offline says so (not a 500) and the page comes back by itself once online', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    const nav = page.getByRole('navigation', { name: 'Main' })
    // Visited once while online, as in a working session (a page never opened has no code in the browser yet: Remix
    // reloads the document for it, and the browser shows its own offline page).
    await nav.getByRole('link', { name: 'Clientes' }).click()
    await page.getByTestId('client-row').first().waitFor()
    await nav.getByRole('link', { name: 'Início' }).click()
    await page.getByTestId('dashboard-scope').waitFor()

    await page.context().setOffline(true)
    await nav.getByRole('link', { name: 'Clientes' }).click()
    await lost(page).waitFor()
    expect(await lost(page).getByRole('status').innerText()).toBe('Sem conexão — tentando de novo')
    expect(await page.getByText('Erro inesperado').count()).toBe(0)
    // Still offline: asking again by hand keeps the same state.
    await lost(page).getByRole('button', { name: 'Tentar agora' }).click()
    await lost(page).waitFor()
    await page.context().setOffline(false)
    // No click: being back online is enough.
    await page.getByTestId('client-row').first().waitFor()
    await lost(page).waitFor({ state: 'detached' })
    expect(new URL(page.url()).pathname).toBe('/app/clients')
  })
})
