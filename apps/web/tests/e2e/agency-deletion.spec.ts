import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, login, newPage } from './browser'
import { hydrated } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Platform staff delete an agency for good (decision 040): a new agency, the slug typed (a wrong one keeps the button
 * disabled), the row says it is being deleted, and the real worker takes it away.
 */
describe('deleting an agency', () => {
  it('asks for the slug, then the worker erases the agency', async () => {
    const admin = await newPage(browser)
    await login(admin, 'admin@impera.demo')
    await admin.waitForURL(/\/admin\/agencies$/)
    await hydrated(admin)
    const slug = `apagar-${Date.now()}`
    const created = await admin.request.post('/api/trpc/admin.createAgency', {
      data: { name: 'Imobiliária Passageira', slug, locale: 'pt-BR', managerEmail: `${slug}@example.test` },
    })
    expect(created.status()).toBe(200)
    await admin.reload()
    await hydrated(admin)
    const row = admin.getByTestId('agency-row').filter({ hasText: slug })
    await row.getByRole('button', { name: 'Excluir…' }).click()
    const dialog = admin.getByRole('dialog')
    const confirm = dialog.getByRole('button', { name: 'Excluir para sempre' })
    await dialog.getByLabel(`Digite ${slug} para confirmar`).fill('outra-coisa')
    expect(await confirm.isDisabled()).toBe(true)
    await dialog.getByLabel(`Digite ${slug} para confirmar`).fill(slug)
    await confirm.click()
    // Suspended and queued at once; gone once the worker has run.
    await expect
      .poll(
        async () => {
          await admin.reload()
          return admin.getByTestId('agency-row').filter({ hasText: slug }).count()
        },
        { timeout: 30_000 },
      )
      .toBe(0)
  })
})
