import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

describe('Settings → Integrações', () => {
  it('a manager creates an integration, sees its key once, rotates it and revokes it', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/settings')
    await page.getByRole('link', { name: 'Integrações' }).click()
    await page.waitForURL(/\/app\/settings\/integrations$/)
    await hydrated(page)
    await page.getByRole('button', { name: 'Nova integração' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Nome').fill('Agente StarIAup')
    await dialog.getByRole('checkbox', { name: /leads:read/ }).check()
    await dialog.getByRole('checkbox', { name: /leads:write/ }).check()
    await dialog.getByRole('button', { name: 'Criar e mostrar chave' }).click()
    const key = await dialog.getByTestId('new-key-value').innerText()
    expect(key).toMatch(/^imp_live_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/)
    await dialog.getByRole('button', { name: 'Fechar' }).click()

    // Listed by name and prefix; the secret is nowhere on the page, and reopening the dialog does not show it again.
    const card = page.getByTestId('integration').filter({ hasText: 'Agente StarIAup' })
    await card.waitFor()
    // The secret's alphabet has '_' too: split by the key's shape, not by '_'.
    const [, prefix, secret] = /^imp_live_([a-z2-7]{12})_(.+)$/.exec(key)!
    expect(await card.innerText()).toContain(`imp_live_${prefix}_…`)
    expect(await page.content()).not.toContain(secret!)
    await page.getByRole('button', { name: 'Nova integração' }).click()
    const reopened = page.getByRole('dialog')
    await reopened.getByLabel('Nome').waitFor()
    expect(await reopened.getByTestId('new-key').count()).toBe(0)
    // Escape only once the dialog is open, and on only once it has closed: a modal left open hides the card from
    // role queries (Radix marks everything outside it aria-hidden).
    await page.keyboard.press('Escape')
    await reopened.waitFor({ state: 'detached' })

    // A new key: shown once; the old one keeps working until the chosen overlap ends.
    await card.getByLabel('A chave antiga continua valendo por').selectOption('0')
    await card.getByRole('button', { name: 'Nova chave' }).click()
    const rotated = await card.getByTestId('new-key-value').innerText()
    expect(rotated).not.toBe(key)
    await expect.poll(() => card.getByTestId('api-key').count()).toBe(2)

    page.once('dialog', (d) => void d.accept())
    await card.getByRole('button', { name: 'Revogar integração' }).click()
    await expect.poll(() => card.getByText('Revogada').first().count()).toBeGreaterThan(0)
    expect(page.errors).toEqual([])
  })

  it('an agent cannot open it', async () => {
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo')
    const response = await page.goto('/app/settings/integrations')
    expect(response!.status()).toBe(403)
  })
})
