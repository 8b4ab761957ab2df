import { createDb, sql } from '@impera/db'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** A PNG's size, from its header (IHDR). */
const pngSize = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) })

/**
 * Issue 18's installable app: the page names a web app manifest that opens on "Hoje" standalone, with icons that
 * exist at the sizes it says (a maskable one for Android's shapes) and a touch icon for iOS.
 */
describe('installable on a phone', () => {
  it('links a manifest whose start page and icons are real', async () => {
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 375 })
    await open(page, '/app/today')
    const href = await page.locator('link[rel="manifest"]').getAttribute('href')
    const res = await page.request.get(href!)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toMatch(/application\/manifest\+json/)
    const manifest = (await res.json()) as {
      name: string
      start_url: string
      display: string
      icons: { src: string; sizes: string; type: string; purpose?: string }[]
    }
    expect(manifest).toMatchObject({ name: 'Impera CRM', display: 'standalone' })
    expect((await page.request.get(manifest.start_url)).status()).toBe(200)
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true)
    for (const icon of manifest.icons) {
      const file = await page.request.get(icon.src)
      expect(file.headers()['content-type']).toBe(icon.type)
      const { width, height } = pngSize(Buffer.from(await file.body()))
      expect(`${width}x${height}`).toBe(icon.sizes)
    }
    const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')
    expect((await page.request.get(touch!)).status()).toBe(200)
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#0a6b4f')
  })
})

interface StandInSubscription {
  endpoint: string
  keys: { p256dh: string; auth: string }
}

/**
 * Replaces the browser's registration with its push service: Chromium subscribes through Google's (FCM), which a test
 * cannot reach, so PushManager.subscribe answers with a subscription made by the stand-in push service — the object a
 * real subscribe resolves with, from the keys to toJSON(). Everything else is the real app: the page posts it, the
 * worker encrypts and signs with web-push, the stand-in checks and decrypts, and the service worker shows it.
 */
function fakePushService(s: StandInSubscription) {
  const bytes = (b64url: string) => {
    const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/')
    return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0)).buffer
  }
  const subscription = {
    endpoint: s.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    getKey: (name: 'p256dh' | 'auth') => bytes(s.keys[name]),
    toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }),
    unsubscribe: async () => {
      sessionStorage.removeItem('test-push-subscribed')
      return true
    },
  }
  PushManager.prototype.subscribe = async function () {
    sessionStorage.setItem('test-push-subscribed', '1')
    return subscription as unknown as PushSubscription
  }
  PushManager.prototype.getSubscription = async function () {
    return sessionStorage.getItem('test-push-subscribed') ? (subscription as unknown as PushSubscription) : null
  }
}

/**
 * Issue 18's app on the phone, with the service worker on (the other specs block it): an installable app, the
 * offline page on a page load without network, and web push — turned on from the profile, a WhatsApp message to the
 * agent goes out through the worker to the push service, and the service worker shows it.
 */
describe('the service worker', () => {
  it('makes the app installable and shows the offline page until the connection is back', async () => {
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo', {
      width: 375,
      context: { serviceWorkers: 'allow' },
    })
    await open(page, '/app/today')
    // Installed and active (its install fetches the offline page), however long that takes on a loaded machine; a page
    // loaded after that is always controlled, whether or not clients.claim() reached this one first.
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active))).toBe(true)
    await open(page, '/app/today')
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)
    const cdp = await page.context().newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[]
    }
    // Chromium's own verdict on manifest, icons, service worker and origin. A test's browser context is always an
    // incognito one, where Chromium never offers to install; nothing else may stand in the way.
    expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([])

    await page.context().setOffline(true)
    await page.goto('/app/leads')
    await page.getByTestId('offline-page').waitFor()
    expect(await page.getByRole('status').innerText()).toBe('Sem conexão — tentando de novo')
    await page.context().setOffline(false)
    // It reloads itself once the server answers: the real page, no click needed.
    await page.getByTestId('offline-page').waitFor({ state: 'detached' })
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor()
  })

  it('turns push on from the profile; a WhatsApp message to the agent arrives on the device', async () => {
    const control = inject('e2e').pushControl
    const sub = (await (await fetch(`${control}/subscriptions`, { method: 'POST' })).json()) as StandInSubscription
    const page = await signedIn(browser, 'carla.mendes@horizonte.demo', {
      width: 375,
      context: { serviceWorkers: 'allow', permissions: ['notifications'] },
    })
    await page.addInitScript(fakePushService, sub)
    await open(page, '/profile')
    const devices = page.getByTestId('push-devices')
    await expect.poll(() => devices.getAttribute('data-state')).toBe('off')
    await devices.getByRole('button', { name: 'Ativar neste aparelho' }).click()
    await expect.poll(() => devices.getAttribute('data-state')).toBe('on')
    expect(await devices.getByTestId('push-device').filter({ hasText: 'este dispositivo' }).count()).toBe(1)

    // A contact of one of Carla's conversations writes again.
    const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
    const [conversation] = await owner.db
      .execute<{ account_id: string; contact_phone: string; contact_name: string }>(
        sql`select c.account_id, c.contact_phone, c.contact_name from whatsapp_conversations c
            join users u on u.id = c.assigned_to join whatsapp_accounts a on a.id = c.account_id
            where u.email = 'carla.mendes@horizonte.demo' and a.provider = 'sandbox' order by c.created_at limit 1`,
      )
      .finally(() => owner.close())
    const text = `Ainda tem o apartamento? ${Date.now().toString(36)}`
    const manager = await signedIn(browser, 'ana.souza@horizonte.demo')
    const sent = await manager.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: {
        accountId: conversation!.account_id,
        from: conversation!.contact_phone,
        name: conversation!.contact_name,
        text,
      },
    })
    expect(sent.status()).toBe(200)

    // The push service received it, signed with the install's key and decrypted with the device's.
    const id = sub.endpoint.split('/').pop()!
    const received = async () =>
      ((await (await fetch(`${control}/received?subscription=${id}`)).json()) as { payload: string }[])
        .map((p) => JSON.parse(p.payload) as { title: string; body: string; url: string; tag: string })
        .find((p) => p.body.includes(text))
    await expect.poll(received).toBeTruthy()
    const push = (await received())!
    expect(push).toMatchObject({ title: 'Imobiliária Horizonte', url: expect.stringMatching(/^\/app\/inbox\//) })

    // The push service's last hop, to the browser's service worker, which shows it: to the active worker (on a loaded
    // machine it may still be installing when the push arrives), again until it is shown — the same tag replaces, so a
    // second delivery cannot make a second notification.
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active))).toBe(true)
    const cdp = await page.context().newCDPSession(page)
    const registrations: { registrationId: string; scopeURL: string; isDeleted?: boolean }[] = []
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: typeof registrations }) =>
      registrations.push(...e.registrations),
    )
    await cdp.send('ServiceWorker.enable')
    const origin = new URL(page.url()).origin
    await expect
      .poll(() => registrations.filter((r) => !r.isDeleted && r.scopeURL === `${origin}/`).length)
      .toBeGreaterThan(0)
    const registrationId = registrations
      .filter((r) => !r.isDeleted && r.scopeURL === `${origin}/`)
      .at(-1)!.registrationId
    const shown = async () => {
      const now = await page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          url: (n.data as { url: string }).url,
        })),
      )
      if (!now.length)
        await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(push) })
      return now
    }
    await expect.poll(shown).toEqual([{ title: push.title, body: push.body, url: push.url }])
    expect(page.errors).toEqual([])
  })
})
