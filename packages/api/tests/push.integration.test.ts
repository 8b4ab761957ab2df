import { Agent } from 'node:https'
import { generateVapidKeys, webPushSender, type PushSettings } from '@impera/api/push'
import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { sendPendingPushes } from '../src/services'
import { buildWorld, leadData, outcome, queuedPayloads, type World } from './harness'
import { startPushStandIn, type PushStandIn } from './stand-ins/push'

/**
 * Web push (decision 035) through the real router and the real `web-push` library, against a stand-in push service
 * that checks the VAPID signature and decrypts every payload with the "browser's" private key (RFC 8291/8292).
 */
let w: World
let service: PushStandIn
let settings: PushSettings
beforeAll(async () => {
  service = await startPushStandIn()
  settings = { ...generateVapidKeys(), subject: 'mailto:ops@impera.test', extraServices: [service.url] }
  w = await buildWorld({ push: { publicKey: settings.publicKey, extraServices: settings.extraServices } })
})
afterAll(async () => {
  await w?.t.close()
  await service?.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)

/** What the worker's `notifications:push` job does for one member. */
const runPushJob = (userId: string) =>
  withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
    sendPendingPushes(tx, w.t.app.db, webPushSender(settings, { agent: new Agent({ ca: service.ca }) }), {
      agencyId: w.a.agencyId,
      userId,
    }),
  )

const pendingFor = async (userId: string) =>
  (
    await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from notifications where user_id = ${userId} and push_state = 'pending'`,
    )
  )[0]!.n

let leads = 0
async function newLeadFor(userId: string, name: string) {
  leads++
  const phone = `11 97${String(leads).padStart(3, '0')}-0000`
  const lead = await manager().leads.create({ data: leadData({ name, phones: [phone] }) })
  await manager().leads.assign({ id: lead.id, assignedTo: userId })
  return lead.id
}

describe('web push', () => {
  it('a member turns it on for a device; only browser push services and well-formed keys are taken', async () => {
    const device = service.createSubscription()
    expect((await agent().notifications.pushDevices()).devices).toEqual([])
    const row = await agent().notifications.pushSubscribe(device)
    const mine = await agent().notifications.pushDevices()
    expect(mine.publicKey).toBe(settings.publicKey)
    expect(mine.devices.map((d) => d.id)).toEqual([row.id])
    // The same browser again (a renewed subscription) is the same device.
    await agent().notifications.pushSubscribe(device)
    expect((await agent().notifications.pushDevices()).devices).toHaveLength(1)
    // The worker would POST to the endpoint: anything but a push service is refused, with the field named.
    for (const endpoint of [
      'http://169.254.169.254/latest',
      'https://example.com/push/1',
      'https://fcm.googleapis.com:8443/x',
    ])
      expect(
        describeError(
          await agent()
            .notifications.pushSubscribe({ ...device, endpoint })
            .catch((e: unknown) => e),
        ),
      ).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { endpoint: ['push.badEndpoint'] } })
    const badKeys = await agent()
      .notifications.pushSubscribe({ ...device, keys: { p256dh: 'short', auth: device.keys.auth } })
      .catch((e: unknown) => e)
    expect(describeError(badKeys)).toMatchObject({ code: 'BAD_REQUEST' })
    expect(JSON.stringify(describeError(badKeys).fieldErrors)).toContain('push.badKey')
  })

  it('pushes a new lead to the agent’s device: signed, encrypted, in their words, opening the lead', async () => {
    const leadId = await newLeadFor(w.a.agent.userId, 'Lead do Push')
    expect(await pendingFor(w.a.agent.userId)).toBe(1)
    const jobs = await queuedPayloads<{ userId: string }>(w.t, 'notifications:push')
    expect(jobs.filter((j) => j.userId === w.a.agent.userId)).toHaveLength(1)
    const before = service.received.length
    expect(await runPushJob(w.a.agent.userId)).toMatchObject({ sent: 1, gone: 0 })
    const push = service.received[before]!
    expect(JSON.parse(push.payload)).toEqual({
      title: 'Imobiliária Alfa',
      body: 'Lead atribuído a você: Lead do Push',
      url: `/app/leads/${leadId}`,
      tag: `lead_assigned:${leadId}`,
    })
    expect(push).toMatchObject({ ttl: 86400, urgency: 'high', subject: 'mailto:ops@impera.test' })
    expect(push.vapidKey).toBe(settings.publicKey)
    expect(await pendingFor(w.a.agent.userId)).toBe(0)
    // Nothing twice: the job run again finds nothing pending.
    expect(await runPushJob(w.a.agent.userId)).toMatchObject({ sent: 0 })
  })

  it('follows the member’s preferences, and skips what was read before the push left', async () => {
    const prefs = await agent().notifications.preferences()
    await agent().notifications.setPreferences({ ...prefs, lead_assigned: { ...prefs.lead_assigned, push: false } })
    await newLeadFor(w.a.agent.userId, 'Lead sem push')
    expect(await pendingFor(w.a.agent.userId)).toBe(0)
    // A client that sends no `push` keeps the stored choice.
    const { push: _p, ...withoutPush } = prefs.lead_assigned
    await agent().notifications.setPreferences({ ...prefs, lead_assigned: withoutPush })
    expect((await agent().notifications.preferences()).lead_assigned.push).toBe(false)
    await agent().notifications.setPreferences(prefs)

    await newLeadFor(w.a.agent.userId, 'Lead lido antes')
    await agent().notifications.markAllRead()
    const before = service.received.length
    expect(await runPushJob(w.a.agent.userId)).toMatchObject({ sent: 0 })
    expect(service.received.length).toBe(before)
  })

  it('sends a burst as one push saying how many', async () => {
    for (const n of [1, 2, 3, 4]) await newLeadFor(w.a.agent.userId, `Lead em rajada ${n}`)
    const before = service.received.length
    expect(await runPushJob(w.a.agent.userId)).toMatchObject({ sent: 1 })
    expect(JSON.parse(service.received[before]!.payload)).toMatchObject({ body: '4 novas notificações', url: '/app' })
    await agent().notifications.markAllRead()
  })

  it('retries when the push service asks, and forgets a device it says is gone', async () => {
    await newLeadFor(w.a.agent.userId, 'Lead com 429')
    service.fail(429, 1, '5')
    expect(await outcome(runPushJob(w.a.agent.userId))).toBe('INTERNAL')
    // Rolled back: still pending for the job's next attempt, which delivers it.
    expect(await pendingFor(w.a.agent.userId)).toBe(1)
    expect(await runPushJob(w.a.agent.userId)).toMatchObject({ sent: 1 })

    const [device] = (await agent().notifications.pushDevices()).devices
    service.unsubscribe(device!.endpoint)
    await newLeadFor(w.a.agent.userId, 'Lead para aparelho sumido')
    expect(await runPushJob(w.a.agent.userId)).toMatchObject({ sent: 0, gone: 1 })
    expect((await agent().notifications.pushDevices()).devices).toEqual([])
  })

  it('stops at a device whose session was revoked, and a member removes a device', async () => {
    const device = service.createSubscription()
    const row = await manager().notifications.pushSubscribe(device)
    await w.t.owner.db.execute(
      sql`update push_subscriptions set session_id = ${w.a.managerSessionId} where id = ${row.id}`,
    )
    await w.t.owner.db.execute(sql`update auth_sessions set revoked_at = now() where id = ${w.a.managerSessionId}`)
    await w.t.owner.db.execute(
      sql`insert into notifications (agency_id, user_id, kind, entity, entity_id, data, push_state) values (${w.a.agencyId}, ${w.a.manager.userId}, 'lead_assigned', 'lead', ${w.a.qualifiedLeadId}, '{"name":"Lead qualificado"}'::jsonb, 'pending')`,
    )
    const before = service.received.length
    const result = await runPushJob(w.a.manager.userId)
    expect(result.sent).toBe(0)
    expect(service.received.length).toBe(before)
    expect((await manager().notifications.pushDevices()).devices.map((d) => d.id)).not.toContain(row.id)

    // Another member's device is not theirs to remove; their own is.
    const other = await agent().notifications.pushSubscribe(service.createSubscription())
    expect(await outcome(manager().notifications.pushUnsubscribe({ id: other.id }))).toBe('NOT_FOUND')
    await agent().notifications.pushUnsubscribe({ id: other.id })
    expect((await agent().notifications.pushDevices()).devices).toEqual([])
  })

  it('is refused on an install without VAPID keys', async () => {
    const bare = await buildWorld({ push: null })
    try {
      const call = bare.caller(bare.a.agent, bare.a.agencyId)
      expect((await call.notifications.pushDevices()).publicKey).toBeNull()
      expect(
        describeError(await call.notifications.pushSubscribe(service.createSubscription()).catch((e: unknown) => e)),
      ).toMatchObject({ code: 'CONFLICT', message: 'push.notConfigured' })
    } finally {
      await bare.t.close()
    }
  })
})
