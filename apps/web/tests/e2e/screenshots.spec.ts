import { createDb, sql } from '@impera/db'
import { DEMO_PASSWORD, seedShowcase, SHOWCASE_MANAGER } from '@impera/db/seed'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'
import { matchesReference } from './screenshot-compare'

let browser: Browser
const ids: { lead?: string; conversation?: string } = {}
beforeAll(async () => {
  browser = await launchBrowser()
  const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
  try {
    const { agencyId } = await seedShowcase(owner.db, DEMO_PASSWORD)
    const [c] = await owner.db.execute<{ id: string; lead_id: string }>(
      sql`select id, lead_id from whatsapp_conversations where agency_id = ${agencyId} order by last_message_at desc limit 1`,
    )
    ids.lead = c!.lead_id
    ids.conversation = c!.id
  } finally {
    await owner.close()
  }
})
afterAll(() => browser.close())

/** The main pages, with what each waits for before the picture is taken. */
const pages: { name: string; path: () => string; ready: (page: Page) => Promise<unknown> }[] = [
  {
    name: 'dashboard',
    // A period around the agency's fixed data: figures and charts that never move.
    path: () => '/app?period=custom&from=2026-01-01&to=2026-03-02',
    ready: (page) => page.getByTestId('period-bar').waitFor(),
  },
  { name: 'leads', path: () => '/app/leads', ready: (page) => page.getByRole('heading', { name: 'Leads' }).waitFor() },
  { name: 'lead', path: () => `/app/leads/${ids.lead}`, ready: (page) => page.getByTestId('lead-name').waitFor() },
  {
    name: 'conversation',
    path: () => `/app/inbox/${ids.conversation}`,
    ready: (page) => page.getByTestId('live-state').filter({ hasText: 'Ao vivo' }).waitFor(),
  },
  {
    name: 'properties',
    path: () => '/app/properties',
    ready: (page) => page.getByTestId('property-card').first().waitFor(),
  },
  {
    name: 'clients',
    path: () => '/app/clients',
    ready: (page) => page.getByRole('heading', { name: 'Clientes' }).waitFor(),
  },
]

/**
 * Issue 18's visual references: the main pages of an agency whose data never moves (decision 048), at 1280 and 375 px,
 * light and dark, compared with the images committed in screenshots/. A changed page fails here and shows in review.
 */
describe('screenshots of the main pages', () => {
  for (const width of [1280, 375])
    for (const scheme of ['light', 'dark'] as const)
      it(`${width} px, ${scheme}`, async () => {
        const page = await signedIn(browser, SHOWCASE_MANAGER, { width, password: DEMO_PASSWORD })
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
        for (const p of pages) {
          await open(page, p.path())
          await p.ready(page)
          const png = await page.screenshot({
            animations: 'disabled',
            caret: 'hide',
            // The unread counts fall as this spec opens the conversation, at a moment of their own.
            maskColor: '#0f766e',
            mask: [page.locator('[data-testid=unread-badge], [data-testid=bottom-nav] [aria-label^="("]')],
          })
          await matchesReference(`${p.name}-${width}-${scheme}`, png)
        }
        await page.context().close()
      })
})
