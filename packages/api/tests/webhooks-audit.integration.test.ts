import { sql } from '@impera/db'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContext } from '../src/context'
import { createCaller } from '../src/root'
import { targetPolicy } from '../src/webhooks'
import { buildWorld, testSecrets, type World } from './harness'

/**
 * Every change a manager makes to a webhook endpoint is in the audit log (decision 018): who, which endpoint, what
 * changed, and never a signing secret, plain or sealed. No worker runs here: deliveries only queue.
 */

let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w.t.close())

/** A manager of agency A, allowed to point endpoints at 127.0.0.2 (as WEBHOOKS_ALLOW_PRIVATE_TARGETS would). */
const manager = () =>
  createCaller(
    createContext({
      db: w.t.app.db,
      auth: w.auth,
      identity: w.a.manager.identity,
      unverifiedAgencyId: w.a.agencyId,
      request: new Request('http://localhost/'),
      requestId: 'test',
      ip: '127.0.0.1',
      log: pino({ level: 'silent' }),
      urls: { origin: 'http://crm.test' },
      secrets: testSecrets,
      whatsappGraph: null,
      webhookTargets: targetPolicy(['127.0.0.2/32']),
    }),
  )

type Entry = { actor_user_id: string | null; entity: string; entity_id: string; ip: string | null; diff: unknown }

/** The one entry of `action` on the endpoint, checked for who wrote it and what it is about. */
async function entry(action: string, endpointId: string): Promise<Entry> {
  const rows = await w.t.owner.db.execute<Entry>(
    sql`select actor_user_id, entity, entity_id, ip, diff from audit_log where agency_id = ${w.a.agencyId} and action = ${action} and entity_id = ${endpointId}`,
  )
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({
    actor_user_id: w.a.manager.userId,
    entity: 'webhook_endpoint',
    entity_id: endpointId,
    ip: '127.0.0.1',
  })
  return rows[0]!
}

/** Secrets seen so far (plain, as shown once) and sealed (as stored), none of which may reach the log. */
const secrets: string[] = []
async function remember(endpointId: string, ...plain: string[]) {
  secrets.push(...plain, ...plain.map((s) => s.replace(/^whsec_/, '')))
  const [row] = await w.t.owner.db.execute<{ secret_enc: string; previous_secret_enc: string | null }>(
    sql`select secret_enc, previous_secret_enc from webhook_endpoints where id = ${endpointId}`,
  )
  if (row) secrets.push(row.secret_enc, ...(row.previous_secret_enc ? [row.previous_secret_enc] : []))
}
function expectNoSecrets(e: Entry) {
  const text = JSON.stringify(e)
  for (const s of secrets) expect(text).not.toContain(s)
  expect(text).not.toMatch(/secretEnc|secret_enc|whsec_/)
}

async function newEndpoint(path: string) {
  const { endpoint, secret } = await manager().webhooks.create({
    url: `http://127.0.0.2:9/${path}`,
    description: `Endpoint ${path}`,
    eventTypes: ['lead.created', 'lead.updated'],
    updatedFields: { 'lead.updated': ['tags'] },
  })
  await remember(endpoint.id, secret)
  return endpoint
}

describe('the audit log of webhook endpoint changes', () => {
  it('create: records the endpoint’s public settings', async () => {
    const endpoint = await newEndpoint('create')
    const e = await entry('webhook.create', endpoint.id)
    expect(e.diff).toEqual({
      after: {
        url: 'http://127.0.0.2:9/create',
        description: 'Endpoint create',
        eventTypes: ['lead.created', 'lead.updated'],
        updatedFields: { 'lead.updated': ['tags'] },
        integrationId: null,
      },
    })
    expectNoSecrets(e)
  })

  it('update: records the changed settings before and after', async () => {
    const endpoint = await newEndpoint('update')
    await manager().webhooks.update({
      id: endpoint.id,
      url: 'http://127.0.0.2:9/updated',
      description: 'Endpoint update',
      eventTypes: ['lead.created'],
      updatedFields: {},
      integrationId: w.a.integrationId,
    })
    const e = await entry('webhook.update', endpoint.id)
    expect(e.diff).toEqual({
      before: {
        url: 'http://127.0.0.2:9/update',
        eventTypes: ['lead.created', 'lead.updated'],
        updatedFields: { 'lead.updated': ['tags'] },
        integrationId: null,
      },
      after: {
        url: 'http://127.0.0.2:9/updated',
        eventTypes: ['lead.created'],
        updatedFields: {},
        integrationId: w.a.integrationId,
      },
    })
    expectNoSecrets(e)
  })

  it('setEnabled: records turning off and on, each once (setting the same state again records nothing)', async () => {
    const endpoint = await newEndpoint('toggle')
    await manager().webhooks.setEnabled({ id: endpoint.id, enabled: false })
    await manager().webhooks.setEnabled({ id: endpoint.id, enabled: false })
    await manager().webhooks.setEnabled({ id: endpoint.id, enabled: true })
    const off = await entry('webhook.disable', endpoint.id)
    expect(off.diff).toEqual({ before: { enabled: true, disabledReason: null }, after: { enabled: false } })
    const on = await entry('webhook.enable', endpoint.id)
    expect(on.diff).toEqual({ before: { enabled: false, disabledReason: 'manual' }, after: { enabled: true } })
    expectNoSecrets(off)
    expectNoSecrets(on)
  })

  it('rotateSecret: records until when the old secret signs, never either secret', async () => {
    const endpoint = await newEndpoint('rotate')
    const rotated = await manager().webhooks.rotateSecret({ id: endpoint.id })
    await remember(endpoint.id, rotated.secret)
    const e = await entry('webhook.rotate', endpoint.id)
    expect(e.diff).toEqual({ after: { previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() } })
    expectNoSecrets(e)
  })

  it('delete: records the endpoint as it was', async () => {
    const endpoint = await newEndpoint('delete')
    await manager().webhooks.delete({ id: endpoint.id })
    const e = await entry('webhook.delete', endpoint.id)
    expect(e.diff).toEqual({
      before: {
        url: 'http://127.0.0.2:9/delete',
        description: 'Endpoint delete',
        eventTypes: ['lead.created', 'lead.updated'],
        updatedFields: { 'lead.updated': ['tags'] },
        integrationId: null,
      },
    })
    expectNoSecrets(e)
  })

  it('sendTest and redeliver: record the event sent and, for a redelivery, the delivery sent again', async () => {
    const endpoint = await newEndpoint('deliveries')
    const test = await manager().webhooks.sendTest({ id: endpoint.id })
    const [queued] = await w.t.owner.db.execute<{ event_id: string }>(
      sql`select event_id from webhook_deliveries where id = ${test.id}`,
    )
    const tested = await entry('webhook.test', endpoint.id)
    expect(tested.diff).toEqual({ after: { eventId: queued!.event_id } })
    await manager().webhooks.redeliver({ deliveryId: test.id })
    const again = await entry('webhook.redeliver', endpoint.id)
    expect(again.diff).toEqual({ after: { deliveryId: test.id, eventId: queued!.event_id } })
    expectNoSecrets(tested)
    expectNoSecrets(again)
  })
})
