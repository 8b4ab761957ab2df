import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Issue 18's skeletons: a page whose data is slow to come gives way to the shape of a page rather than leaving the old
 * one on screen. The test holds the next page's data request (Remix's single fetch, `<path>.data`) until it has seen
 * the skeleton — waiting on state, not on time.
 */
describe('a slow page change', () => {
  it('shows a skeleton in place of the old page, marked busy, until the new page arrives', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/leads')
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route(
      (url) => url.pathname === '/app/settings.data',
      async (route) => {
        await held
        await route.continue()
      },
    )
    await page.getByRole('navigation').getByRole('link', { name: 'Configurações da imobiliária' }).first().click()
    const skeleton = page.getByTestId('page-skeleton')
    await skeleton.waitFor()
    // Shaped like what is coming: the settings are a form.
    expect(await skeleton.getAttribute('data-kind')).toBe('form')
    expect(await page.locator('main').getAttribute('aria-busy')).toBe('true')
    // The old page is kept (hidden), not torn down.
    expect(await page.getByTestId('lead-row').first().isVisible()).toBe(false)
    release()
    await page.waitForURL(/\/app\/settings$/)
    await skeleton.waitFor({ state: 'detached' })
    expect(await page.locator('main').getAttribute('aria-busy')).toBeNull()
    await page.getByRole('heading', { level: 1 }).waitFor()

    // A lead's page comes as a record: the way back, the name, the details beside the timeline.
    await open(page, '/app/leads')
    let releaseLead!: () => void
    const leadHeld = new Promise<void>((resolve) => (releaseLead = resolve))
    await page.route(
      (url) => /^\/app\/leads\/[0-9a-f-]{36}\.data$/.test(url.pathname),
      async (route) => {
        await leadHeld
        await route.continue()
      },
    )
    await page.getByTestId('lead-row').first().getByRole('link').first().click()
    await skeleton.waitFor()
    expect(await skeleton.getAttribute('data-kind')).toBe('record')
    releaseLead()
    await page.getByTestId('lead-name').waitFor()
    await skeleton.waitFor({ state: 'detached' })
    expect(page.errors).toEqual([])
    await page.close()
  })
})
