import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { readPropertyShare } from '../src/services'
import { buildWorld, leadData, outcome, type World } from './harness'

/**
 * Sharing a listing with a lead (issue 16): the public page's read by token (the listing alone, expiring, withdrawn
 * listings gone), views counted on the lead's timeline once a day, and the WhatsApp card inside the 24-hour window.
 */
let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w?.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const origin = 'https://crm.example.test'
const tokenOf = (url: string) => url.split('/p/')[1]!

async function viewsOnTimeline(leadId: string) {
  return w.t.owner.db.execute<{ data: { views: number } }>(
    sql`select data from lead_events where lead_id = ${leadId} and kind = 'property_viewed' order by at`,
  )
}

describe('sharing a listing', () => {
  it('makes a public, expiring page of the listing alone, and counts its views on the lead', async () => {
    const { url, expiresAt } = await manager().properties.share({ propertyId: w.a.propertyId, leadId: w.a.leadId })
    expect(url).toMatch(/^https?:\/\/[^/]+\/p\/[A-Za-z0-9_-]{32}$/)
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000)
    const page = await readPropertyShare(w.t.app.db, { token: tokenOf(url), origin })
    expect(page!.property.title).toBe('Apartamento da Alfa')
    expect(page!.agency.name).toBe('Imobiliária Alfa')
    // Nothing of the agency's beyond the listing: no owner, no lead, no assignee, no ids.
    const text = JSON.stringify(page)
    for (const secret of [w.a.leadId, w.a.propertyId, w.a.agent.userId, 'Lead da Alfa', 'Cliente da Alfa'])
      expect(text).not.toContain(secret)
    for (const p of page!.photos)
      expect(p.url).toMatch(/^https:\/\/crm\.example\.test\/p\/[A-Za-z0-9_-]{32}\/photos\/[0-9a-f-]{36}\.jpg$/)
    // A second view the same day counts, but the timeline tells it once.
    await readPropertyShare(w.t.app.db, { token: tokenOf(url), origin })
    const [share] = await w.t.owner.db.execute<{ views: number }>(
      sql`select views from property_shares where token = ${tokenOf(url)}`,
    )
    expect(share!.views).toBe(2)
    expect((await viewsOnTimeline(w.a.leadId)).map((e) => e.data.views)).toEqual([1])
    const shared = await w.t.owner.db.execute<{ data: { channel: string } }>(
      sql`select data from lead_events where lead_id = ${w.a.leadId} and kind = 'property_shared'`,
    )
    expect(shared.map((e) => e.data.channel)).toEqual(['link'])
  })

  it('shows the agency’s registration (CRECI) once a manager sets it; a malformed one is a field error', async () => {
    const a = await manager().agency.get()
    const settings = {
      name: a.name,
      locale: a.locale as 'pt-BR',
      currency: a.currency as 'BRL',
      defaultPhoneCountry: a.defaultPhoneCountry,
      timezone: a.timezone,
      agentsSeeAll: a.agentsSeeAll,
      contactSlaHours: a.contactSlaHours,
      staleReservedDays: a.staleReservedDays,
    }
    const { url } = await manager().properties.share({ propertyId: w.a.propertyId, leadId: w.a.qualifiedLeadId })
    expect((await readPropertyShare(w.t.app.db, { token: tokenOf(url), origin }))!.agency.licenseNumber).toBeNull()
    await manager().agency.updateSettings({ ...settings, licenseNumber: '  CRECI/SP 12345-J ' })
    expect((await manager().agency.get()).licenseNumber).toBe('CRECI/SP 12345-J')
    expect((await readPropertyShare(w.t.app.db, { token: tokenOf(url), origin }))!.agency.licenseNumber).toBe(
      'CRECI/SP 12345-J',
    )
    // Left out, it stays; emptied, it goes.
    await manager().agency.updateSettings(settings)
    expect((await manager().agency.get()).licenseNumber).toBe('CRECI/SP 12345-J')
    for (const bad of ['<b>CRECI</b>', '-12345', 'x'.repeat(41)])
      expect(
        describeError(
          await manager()
            .agency.updateSettings({ ...settings, licenseNumber: bad })
            .catch((e: unknown) => e),
        ).fieldErrors.licenseNumber,
      ).toBeTruthy()
    await manager().agency.updateSettings({ ...settings, licenseNumber: '' })
    expect((await manager().agency.get()).licenseNumber).toBeNull()
    expect(await outcome(agent().agency.updateSettings({ ...settings, licenseNumber: 'CRECI 1' }))).toBe('FORBIDDEN')

    // The agency's colour (issue 18): #rrggbb, kept lower-case, shown on the page; anything else is refused by name.
    await manager().agency.updateSettings({ ...settings, brandColor: ' #1E3A8A ' })
    expect((await manager().agency.get()).brandColor).toBe('#1e3a8a')
    expect((await readPropertyShare(w.t.app.db, { token: tokenOf(url), origin }))!.agency).toMatchObject({
      brandColor: '#1e3a8a',
      logoUrl: null,
    })
    for (const bad of ['red', '#fff', '#12345g', '};body{display:none}', '#1e3a8a;'])
      expect(
        describeError(
          await manager()
            .agency.updateSettings({ ...settings, brandColor: bad })
            .catch((e: unknown) => e),
        ).fieldErrors.brandColor,
      ).toEqual(['settings.brandColorFormat'])
    await manager().agency.updateSettings({ ...settings, brandColor: '' })
    expect((await manager().agency.get()).brandColor).toBeNull()
  })

  it('answers nothing for a bad, unknown or expired token, or a withdrawn listing', async () => {
    for (const token of ['', 'x', "' or 1=1 --", 'A'.repeat(32), '\u0000'.repeat(32)])
      expect(await readPropertyShare(w.t.app.db, { token, origin })).toBeNull()
    const { url } = await manager().properties.share({ propertyId: w.a.propertyId, leadId: w.a.qualifiedLeadId })
    await w.t.owner.db.execute(
      sql`update property_shares set expires_at = now() - interval '1 second' where token = ${tokenOf(url)}`,
    )
    expect(await readPropertyShare(w.t.app.db, { token: tokenOf(url), origin })).toBeNull()
    const gone = await manager().properties.create({
      data: {
        code: 'SHARE-GONE',
        title: 'Retirado',
        type: 'house',
        purpose: 'sale',
        salePrice: '500000',
        status: 'available',
      },
    } as never)
    const second = await manager().properties.share({ propertyId: gone.id, leadId: w.a.leadId })
    await manager().properties.delete({ id: gone.id })
    expect(await readPropertyShare(w.t.app.db, { token: tokenOf(second.url), origin })).toBeNull()
  })

  it('sends the card to the lead’s WhatsApp conversation inside the window; refuses without one', async () => {
    const sent = await manager().properties.sendCard({ propertyId: w.a.propertyId, leadId: w.a.leadId })
    const [message] = await w.t.owner.db.execute<{ body: string; conversation_id: string }>(
      sql`select body, conversation_id from whatsapp_messages where id = ${sent.messageId}`,
    )
    expect(message!.conversation_id).toBe(w.a.conversationId)
    expect(message!.body).toContain('*Apartamento da Alfa*')
    expect(message!.body).toContain(sent.url)
    // Outside the 24-hour window free text is refused, as in the composer.
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_inbound_at = now() - interval '2 days' where id = ${w.a.conversationId}`,
    )
    expect(
      describeError(
        await manager()
          .properties.sendCard({ propertyId: w.a.propertyId, leadId: w.a.leadId })
          .catch((e: unknown) => e),
      ).fieldErrors,
    ).toEqual({ text: ['whatsapp.errors.windowClosed'] })
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_inbound_at = now() where id = ${w.a.conversationId}`,
    )
    const lonely = await manager().leads.create({ data: leadData({ name: 'Sem conversa', phones: ['11 97777-1234'] }) })
    expect(
      describeError(
        await manager()
          .properties.sendCard({ propertyId: w.a.propertyId, leadId: lonely.id })
          .catch((e: unknown) => e),
      ).fieldErrors,
    ).toEqual({ leadId: ['sharing.noConversation'] })
    // Another agency's manager, with A's ids: nothing to see.
    expect(
      await outcome(
        w.caller(w.b.manager, w.b.agencyId).properties.share({ propertyId: w.a.propertyId, leadId: w.a.leadId }),
      ),
    ).toBe('NOT_FOUND')
  })
})
