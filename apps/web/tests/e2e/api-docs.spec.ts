import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseURL, launchBrowser, newPage } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

describe('the API reference page', () => {
  it('renders the public API from our own origin under the production Content-Security-Policy', async () => {
    const page = await newPage(browser, { locale: 'en' })
    const violations: string[] = []
    const errors: string[] = []
    const foreign: string[] = []
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()))
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== new URL(baseURL()).origin) foreign.push(r.url())
    })
    const response = await page.goto('/api/docs')
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-/)
    // The document is fetched and rendered: the first tag's operations, and every tag in the navigation.
    await page.getByText('Create a lead').first().waitFor({ timeout: 30_000 })
    for (const tag of ['Clients', 'Properties', 'Conversations', 'Members', 'Events'])
      await page.getByText(tag, { exact: true }).first().waitFor()
    expect(violations).toEqual([])
    expect(errors).toEqual([])
    expect(foreign).toEqual([])
  })
})
