import { createDb, sql } from '@impera/db'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { baseURL, launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** Far from both agencies' zones, so a time formatted in the browser's zone can never pass for the agency's. */
const BROWSER_ZONE = 'Asia/Tokyo'
const AT = new Date('2026-03-10T15:30:00Z')
const inZone = (zone: string) =>
  new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: zone }).format(AT)

/** A signed-in page whose browser lives in another zone, collecting everything the console says is wrong from now on. */
async function signedInAway(email: string): Promise<{ page: Page; problems: string[] }> {
  // The service worker on, as people have it: every page load below also goes through it (and Playwright's notice
  // that it blocked one would count as a console warning).
  const page = await signedIn(browser, email, { context: { timezoneId: BROWSER_ZONE, serviceWorkers: 'allow' } })
  const problems: string[] = []
  page.on('console', (m) => {
    // A live refresh (a WhatsApp status from an earlier spec's send, arriving now) cut short by the next navigation
    // is logged by the router as an AbortError: it is not a rendering problem, which is what this test looks for.
    if (m.text().startsWith('AbortError')) return
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: console.${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`))
  return { page, problems }
}

/** A lead created at AT, inserted as the owner (the app would stamp now()). */
async function leadCreatedAt(agencySlug: string, name: string, zone?: string): Promise<string> {
  const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
  try {
    if (zone) await owner.db.execute(sql`update agencies set timezone = ${zone} where slug = ${agencySlug}`)
    const [row] = await owner.db.execute<{ id: string }>(sql`
      insert into leads (agency_id, name, phones, source, created_at, updated_at, status_changed_at)
      select id, ${name}, '{+5511955550101}', 'website', ${AT.toISOString()}, ${AT.toISOString()}, ${AT.toISOString()} from agencies where slug = ${agencySlug}
      returning id`)
    return row!.id
  } finally {
    await owner.close()
  }
}

async function firstHref(page: Page, testId: string): Promise<string> {
  const href = await page.getByTestId(testId).first().locator('a').first().getAttribute('href')
  return new URL(href!, baseURL()).pathname
}

describe('times in the agency’s zone, whatever the browser’s', () => {
  it('every main page renders the same on the server and in the browser (no hydration error), and a known time shows in the agency’s zone', async () => {
    const leadId = await leadCreatedAt('horizonte', 'Lead Fuso Horário')
    const { page, problems } = await signedInAway('ana.souza@horizonte.demo')
    await open(page, '/app/clients')
    const client = await firstHref(page, 'client-row')
    await open(page, '/app/properties?layout=table')
    const property = await firstHref(page, 'property-row')
    await open(page, '/app/inbox')
    const conversation = new URL((await page.getByTestId('conversation-item').first().getAttribute('href'))!, baseURL())
      .pathname
    const pages = [
      '/app',
      '/app/leads',
      '/app/leads/board',
      `/app/leads/${leadId}`,
      '/app/leads/trash',
      '/app/clients',
      client,
      '/app/properties',
      property,
      '/app/inbox',
      conversation,
      '/app/reports',
      '/app/members',
      '/app/settings',
      '/app/settings/whatsapp',
      '/profile',
    ]
    for (const path of pages) {
      const res = await open(page, path)
      expect(res?.status(), path).toBe(200)
    }
    expect(problems).toEqual([])

    // 15:30 UTC is 12:30 in São Paulo (Horizonte's zone) and 00:30 the next day in the browser's.
    await open(page, `/app/leads/${leadId}`)
    const created = page.locator('dt', { hasText: 'Criado em' }).locator('xpath=following-sibling::dd[1]')
    expect(await created.innerText()).toBe(inZone('America/Sao_Paulo'))
    expect(inZone('America/Sao_Paulo')).not.toBe(inZone(BROWSER_ZONE))
    await page.context().close()
  })

  it('follows the agency’s time-zone setting', async () => {
    const leadId = await leadCreatedAt('lar-doce-lar', 'Lead Em Kolkata', 'Asia/Kolkata')
    const { page, problems } = await signedInAway('diego.alves@lardocelar.demo')
    await open(page, `/app/leads/${leadId}`)
    const created = page.locator('dt', { hasText: 'Criado em' }).locator('xpath=following-sibling::dd[1]')
    // 15:30 UTC is 21:00 in Kolkata.
    expect(await created.innerText()).toBe(inZone('Asia/Kolkata'))
    await open(page, '/app/leads?q=Kolkata')
    expect(await page.getByTestId('lead-row').filter({ hasText: 'Lead Em Kolkata' }).innerText()).toContain(
      inZone('Asia/Kolkata'),
    )
    // After a client-side navigation too (rendered in the browser only).
    await page.getByRole('link', { name: 'Lead Em Kolkata' }).click()
    await page.waitForURL(`**/app/leads/${leadId}`)
    await hydrated(page)
    await created.waitFor()
    expect(await created.innerText()).toBe(inZone('Asia/Kolkata'))
    expect(problems).toEqual([])
    await page.context().close()
  })
})
