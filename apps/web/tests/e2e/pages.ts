import { createHmac } from 'node:crypto'
import type { Browser, BrowserContextOptions, Locator, Page, Response } from 'playwright-core'
import { expect } from 'vitest'
import { baseURL, liveNavigation, login, settled } from './browser'

/** Resolves once the page is live (see `settled`); pages from `signedIn` and `newPage` already wait on navigations. */
export const hydrated = settled

/** Opens a page of the app and waits until it is live. */
export async function open(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path)
  await hydrated(page)
  return response
}

type StorageState = Awaited<ReturnType<Awaited<ReturnType<Browser['newContext']>>['storageState']>>
const sessions = new Map<string, StorageState>()

/**
 * A new page (its own browser context) signed in as `email`, on the live home page. A spec file signs each person in
 * once and reuses the session: the server allows 50 sign-ins per 15 minutes from one address, every test signs in from
 * 127.0.0.1, and a whole tier of fresh sign-ins ran past that (each also costs an Argon2 verification). A session
 * that has ended (a sign-out elsewhere) is replaced by a new sign-in. `errors` collects the page's uncaught errors.
 */
export async function signedIn(
  browser: Browser,
  email: string,
  opts: { width?: number; password?: string; context?: BrowserContextOptions } = {},
): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    locale: 'pt-BR',
    viewport: { width: opts.width ?? 1280, height: 800 },
    // The service worker (public/sw.js) has its own spec (pwa.spec.ts); elsewhere pages load as without one, so a
    // spec's requests and their answers are exactly the page's own.
    serviceWorkers: 'block',
    ...opts.context,
    storageState: sessions.get(email),
  })
  const page = liveNavigation(await context.newPage()) as Page & { errors: string[] }
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(e.message))
  await page.goto('/app')
  if (new URL(page.url()).pathname !== '/app') {
    await login(page, email, opts.password)
    await page.waitForURL(/\/app$/)
    sessions.set(email, await context.storageState())
  }
  await hydrated(page)
  return page
}

/** Chooses `option` in one of the app's comboboxes (a person picker): opens it, types, picks. */
export async function pick(page: Page, field: Locator, option: string) {
  await field.click()
  const search = page.getByRole('combobox').and(page.locator('[cmdk-input]'))
  await search.fill(option)
  // In the picker's list (a native <select> elsewhere on the page has options too).
  await page
    .locator('[cmdk-list]')
    .getByRole('option', { name: new RegExp(`^${option}`) })
    .click()
  await search.waitFor({ state: 'detached' })
}

/**
 * A new sandbox number, as a manager adds one: its credentials are shown once, as for a real setup. Returns what a
 * test needs to post signed webhooks for it (the phone number id is what deliveries are routed by), to this web
 * instance or to `deliverTo`.
 */
export async function sandboxNumber(page: Page, label: string, opts: { deliverTo?: string } = {}) {
  await page.goto('/app/settings/whatsapp')
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Adicionar número sandbox' }) })
  await form.getByLabel('Nome').fill(label)
  await form.getByRole('button', { name: 'Adicionar número sandbox' }).click()
  const note = page.getByText(/chave secreta/)
  await expect.poll(() => note.count()).toBe(1)
  const secret = /chave secreta (\S+),/.exec(await note.innerText())![1]!
  await page.reload()
  const account = page.getByTestId('whatsapp-accounts').locator('li').filter({ hasText: label })
  const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(await account.innerText())![1]!
  const accounts = (await (await page.request.get('/api/trpc/whatsapp.accounts')).json()) as {
    result: { data: { id: string; phoneNumberId: string }[] }
  }
  const phoneNumberId = accounts.result.data.find((a) => a.id === accountId)!.phoneNumberId
  /** Posts a Meta-shaped delivery for this number, signed with its secret; `replace` edits the JSON text (e.g. escapes). */
  const deliver = (value: Record<string, unknown>, replace?: [string, string]) => {
    let raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: { messaging_product: 'whatsapp', metadata: { phone_number_id: phoneNumberId }, ...value },
            },
          ],
        },
      ],
    })
    if (replace) raw = raw.replace(...replace)
    return fetch(`${opts.deliverTo ?? baseURL()}/webhooks/whatsapp/${accountId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
      },
      body: raw,
    })
  }
  return deliver
}
