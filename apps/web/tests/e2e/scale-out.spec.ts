import { createDb, sql } from '@impera/db'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { sandboxNumber, signedIn } from './pages'

/**
 * Issue 19's scale-out, short form: the browser tier runs two web instances and two workers on one Postgres (see
 * global-setup.ts), and a round-robin balancer in front of the web instances.
 */
let browser: Browser
const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
  await owner.close()
})

const MANAGER = 'diego.alves@lardocelar.demo'
const CONTACTS = 12

describe('two web instances and two workers on one Postgres', () => {
  it('a browser on instance A sees live what instance B received; through the balancer every reply goes out once', async () => {
    const e2e = inject('e2e')
    const page = await signedIn(browser, MANAGER)
    // Deliveries go to instance B; the browser is on A.
    const deliver = await sandboxNumber(page, 'Escala', { deliverTo: e2e.secondURL })
    const [account] = await owner.db.execute<{ id: string }>(
      sql`select id from whatsapp_accounts where label = 'Escala'`,
    )
    await page.goto('/app/inbox')
    await expect.poll(() => page.getByTestId('live-state').innerText()).toBe('Ao vivo')

    const texts = Array.from({ length: CONTACTS }, (_, i) => `Escala ${i}: a vaga de garagem é coberta?`)
    const answers = await Promise.all(
      texts.map(async (body, i) => {
        // Not ending in 0000: the sandbox's number that is not on WhatsApp.
        const phone = `5511977${String(i).padStart(3, '0')}17`
        const res = await deliver({
          contacts: [{ profile: { name: `Contato Escala ${i}` }, wa_id: phone }],
          messages: [
            {
              from: phone,
              id: `wamid.ESCALA${i}`,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: 'text',
              text: { body },
            },
          ],
        })
        return res.status
      }),
    )
    expect(answers).toEqual(texts.map(() => 200))
    // Taken by either worker, told to A through Postgres: every contact shows in A's list without a reload.
    const list = page.getByTestId('conversation-list')
    await expect
      .poll(
        async () => {
          const text = await list.innerText()
          return texts.filter((t) => text.includes(t)).length
        },
        { timeout: 30_000 },
      )
      .toBe(CONTACTS)

    // The same manager through the balancer: its pages, its calls and its live socket land on either instance.
    const balanced = await signedIn(browser, MANAGER, { context: { baseURL: e2e.balancedURL } })
    await balanced.goto('/app/inbox')
    await expect.poll(() => balanced.getByTestId('live-state').innerText()).toBe('Ao vivo')
    const conversations = await owner.db.execute<{ id: string }>(
      sql`select id from whatsapp_conversations where account_id = ${account!.id}`,
    )
    expect(conversations).toHaveLength(CONTACTS)
    const sent = await balanced.evaluate(
      (ids) =>
        Promise.all(
          ids.map(async (conversationId, i) => {
            const res = await fetch('/api/trpc/whatsapp.send', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                id: crypto.randomUUID(),
                conversationId,
                type: 'text',
                text: `Sim, coberta (${i})`,
              }),
            })
            return res.status
          }),
        ),
      conversations.map((c) => c.id),
    )
    expect(sent).toEqual(conversations.map(() => 200))

    // Each reply claimed once and out (the sandbox's receipts may have moved it past sent); each delivery stored once.
    const replies = () =>
      owner.db.execute<{ status: string; attempts: number; error_code: string | null }>(
        sql`select status, attempts, error_code from whatsapp_messages where account_id = ${account!.id} and direction = 'outbound'`,
      )
    // Polled for what has not gone out yet, so a failure names it.
    await expect
      .poll(async () => (await replies()).filter((r) => !['sent', 'delivered', 'read'].includes(r.status)), {
        timeout: 30_000,
      })
      .toEqual([])
    expect((await replies()).map((r) => r.attempts)).toEqual(conversations.map(() => 1))
    const [stored] = await owner.db.execute<{ events: number; processed: number; messages: number }>(sql`
      select (select count(*)::int from whatsapp_webhook_events where account_id = ${account!.id}) as events,
        (select count(*)::int from whatsapp_webhook_events where account_id = ${account!.id} and state = 'processed') as processed,
        (select count(*)::int from whatsapp_messages where account_id = ${account!.id} and direction = 'inbound') as messages`)
    expect(stored).toEqual({ events: CONTACTS, processed: CONTACTS, messages: CONTACTS })
    // Both instances took connections from the balancer.
    const given = (await (await fetch(e2e.balancerControl)).json()) as number[]
    expect(given.every((n) => n > 0)).toBe(true)
  })
})
