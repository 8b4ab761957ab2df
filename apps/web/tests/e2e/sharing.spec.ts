import type { Browser, Page } from 'playwright-core'
import { createDb, sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, newPage } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * Issue 16's sharing in the browser: from a WhatsApp lead's page an agent sends a listing as a card and copies its
 * link; the contact opens it on a phone (photos in a gallery and a lightbox, no sign-in); the lead's timeline says so.
 */
describe('sharing a listing with a lead', () => {
  it('lead page → send on WhatsApp → link → public page on a phone → viewed on the timeline', async () => {
    const tag = Date.now().toString(36)
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 1280 })
    await open(page, '/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    const digits = String(Date.now()).slice(-8)
    const res = await page.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: { accountId, from: `+55 31 9${digits}`, name: `Quer ver fotos ${tag}`, text: 'Tem fotos do apartamento?' },
    })
    expect(res.status()).toBe(200)
    const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
    try {
      const leadOf = async () =>
        (await owner.db.execute<{ id: string }>(sql`select id from leads where name = ${`Quer ver fotos ${tag}`}`))[0]
          ?.id ?? null
      await expect.poll(leadOf).not.toBeNull()
      const leadId = (await leadOf())!
      // A listing with at least two photos, marked as the lead's interest.
      const [listing] = await owner.db.execute<{ id: string; title: string }>(sql`
        select p.id, p.title from properties p
        where p.agency_id = (select agency_id from leads where id = ${leadId}) and p.deleted_at is null
          and (select count(*) from property_photos f where f.property_id = p.id) >= 2
        order by p.code limit 1`)
      const linked = await page.request.post('/api/trpc/leads.linkProperty', {
        data: { leadId, propertyId: listing!.id },
      })
      expect(linked.status()).toBe(200)
      await open(page, `/app/leads/${leadId}`)
      const interest = page.getByTestId('interest').filter({ hasText: listing!.title })
      await interest.getByRole('button', { name: `Enviar ${listing!.title} no WhatsApp` }).click()
      // The card lands in the lead's thread (queued, then sent by the worker to the sandbox).
      await expect.poll(() => page.getByText(/\/p\/[A-Za-z0-9_-]{32}/).count()).toBeGreaterThan(0)
      await interest.getByRole('button', { name: `Link de ${listing!.title}` }).click()
      const link = interest.getByTestId('share-link')
      await link.waitFor()
      const url = await link.inputValue()
      expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{32}$/)

      // The contact, on a phone, signed in nowhere.
      const contact = await newPage(browser, { width: 375 })
      await open(contact, new URL(url).pathname)
      expect(await contact.getByTestId('shared-title').innerText()).toBe(listing!.title)
      expect(await fitsPhone(contact)).toBeLessThanOrEqual(375)
      const photos = contact.getByTestId('gallery').getByRole('button')
      expect(await photos.count()).toBeGreaterThanOrEqual(2)
      await photos.first().click()
      const dialog = contact.getByRole('dialog')
      await expect.poll(() => dialog.getByText(/^Foto 1 de \d+$/).count()).toBe(1)
      await contact.keyboard.press('ArrowRight')
      await expect.poll(() => dialog.getByText(/^Foto 2 de \d+$/).count()).toBe(1)
      // The photo really loads (a signed public link, no session).
      await expect
        .poll(() =>
          contact.evaluate(() => {
            const img = document.querySelector('[data-testid=lightbox-photo]') as HTMLImageElement
            return img.complete ? img.naturalWidth : 0
          }),
        )
        .toBeGreaterThan(0)
      expect((contact as Page & { errors: string[] }).errors).toEqual([])
      await contact.context().close()

      // The agent sees the card in the thread and the view on the timeline.
      await expect
        .poll(async () => {
          await page.reload()
          return page.getByText(`abriu o imóvel`).count()
        })
        .toBeGreaterThan(0)
    } finally {
      await owner.close()
    }
  })
})
