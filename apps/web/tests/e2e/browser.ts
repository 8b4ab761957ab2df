import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { findBrowser } from '../../../../scripts/browser'

/** The seeded people's password (`pnpm db:seed`). */
export const DEMO_PASSWORD = 'demo-impera-2026'

export function baseURL(): string {
  return inject('e2e').baseURL
}

/**
 * A Chromium-based browser (CHROMIUM_PATH, or found: scripts/browser.ts), headless, with the flags a sandboxed, offline
 * machine needs (and a spec's own, e.g. a fake microphone).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: findBrowser(),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  })
}

/**
 * Resolves once the current document is live: an app page that React has hydrated (Document marks <html
 * data-hydrated>), or a document without the app's scripts. A click, a select or a keypress before hydration reaches
 * plain HTML, not the app, and on a busy machine hydration can end well after the load event.
 */
export async function settled(page: Page): Promise<void> {
  if (await page.locator('script[type="module"]').count())
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' })
}

/**
 * Makes every document navigation of the page (goto, reload, back, and a waitForURL that follows a form post) resolve
 * only once the new document is live, so no test acts on a page React does not own yet.
 */
export function liveNavigation<P extends Page>(page: P): P {
  for (const method of ['goto', 'reload', 'goBack', 'goForward', 'waitForURL'] as const) {
    const original = (page[method] as (...args: unknown[]) => Promise<unknown>).bind(page)
    Object.assign(page, {
      [method]: async (...args: unknown[]) => {
        const result = await original(...args)
        await settled(page)
        return result
      },
    })
  }
  return page
}

export async function newPage(browser: Browser, opts: { locale?: string; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    locale: opts.locale ?? 'pt-BR',
    viewport: { width: opts.width ?? 1280, height: 800 },
    serviceWorkers: 'block',
  })
  const page = liveNavigation(await context.newPage())
  // Pages must not log errors; collect them so tests can assert a clean console.
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  ;(page as Page & { errors: string[] }).errors = errors
  return page
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel(/e-mail/i).fill(email)
  await page.getByLabel(/senha|password/i).fill(password)
  await page.getByRole('button', { name: /^(entrar|sign in)$/i }).click()
}

/** The newest e-mail to an address, from the development mailbox page, polled while the worker delivers it. */
export async function latestMail(page: Page, to: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    await page.goto('/dev/mailbox')
    const mail = page
      .getByTestId('mail')
      .filter({ has: page.getByTestId('mail-to').getByText(to, { exact: true }) })
      .first()
    if (await mail.count()) return (await mail.innerText()).trim()
    await page.waitForTimeout(500)
  }
  throw new Error(`no e-mail to ${to}`)
}

export function linkIn(text: string, path: string): string {
  const m = new RegExp(`https?://\\S+${path}\\S+`).exec(text)
  if (!m) throw new Error(`no ${path} link in: ${text}`)
  return new URL(m[0]).pathname
}
