import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { ingestWebhookEvent, receiveWebhook, runBulkChunk } from '../src/services'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, outcome, queuedPayloads, testSecrets, type World } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

/**
 * Issue 16's inbox: a conversation's status (open / pending / resolved; the contact writing reopens it), internal
 * notes in the thread, and replies that quote a message. services/conversation-entries.ts owns the first two; these
 * tests drive them through the router and the WhatsApp pipeline and read what they left behind.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
let managerName: string
let agentName: string
const PHONE_NUMBER_ID = '109876548888'
const APP_SECRET = 'app-secret-of-the-entries-app'
const TOKEN = 'EAAG-entries-token'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-entries-test' }),
  }
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Situação',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-8888',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-entries',
  })
  accountId = created.account.id
  const names = await w.t.owner.db.execute<{ id: string; name: string }>(
    sql`select id, name from users where id in (${w.a.manager.userId}, ${w.a.agent.userId})`,
  )
  managerName = names.find((n) => n.id === w.a.manager.userId)!.name
  agentName = names.find((n) => n.id === w.a.agent.userId)!.name
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const system = () => ({ db: w.t.app.db, whatsapp: runtime })

async function deliver(body: unknown) {
  const raw = Buffer.from(JSON.stringify(body))
  const res = await receiveWebhook(system(), {
    accountId,
    rawBody: raw,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(raw) },
  })
  expect(res.status).toBe(200)
  const pending = await w.t.owner.db.execute<{ id: number }>(
    sql`select id from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
  )
  for (const p of pending) await ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId: Number(p.id) })
}

let phoneSeq = 0
/** A new contact writes: a new conversation (the unknown sender's lead goes to nobody: no distribution rules). */
async function newConversation(text = 'Oi, vi o anúncio', id?: string) {
  const waId = `55119860${String(++phoneSeq).padStart(5, '0')}`
  await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(waId, text, { id })]))
  const [c] = await w.t.owner.db.execute<{ id: string }>(
    sql`select id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_wa_id = ${waId}`,
  )
  return { id: c!.id, waId }
}

const statusOf = async (id: string) => (await manager().whatsapp.conversation({ id })).conversation.status

describe('conversation status', () => {
  it('a manager resolves and parks a conversation; each change is an entry with who, and an audit entry', async () => {
    const c = await newConversation()
    expect(await statusOf(c.id)).toBe('open')
    expect(await manager().whatsapp.setStatus({ id: c.id, status: 'pending' })).toEqual({ status: 'pending' })
    expect(await manager().whatsapp.setStatus({ id: c.id, status: 'resolved' })).toEqual({ status: 'resolved' })
    // The same status again changes nothing (no entry, no audit).
    await manager().whatsapp.setStatus({ id: c.id, status: 'resolved' })
    const detail = await manager().whatsapp.conversation({ id: c.id })
    expect(detail.conversation.status).toBe('resolved')
    expect(detail.entries.map((e) => [e.kind, e.status, e.actorName])).toEqual([
      ['status', 'pending', managerName],
      ['status', 'resolved', managerName],
    ])
    const audits = await w.t.owner.db.execute<{ before: unknown; after: unknown }>(
      sql`select diff->'before' as before, diff->'after' as after from audit_log where agency_id = ${w.a.agencyId} and action = 'whatsapp.conversation.status' and entity_id = ${c.id} order by at`,
    )
    expect(audits.map((a) => [a.before, a.after])).toEqual([
      [{ status: 'open' }, { status: 'pending' }],
      [{ status: 'pending' }, { status: 'resolved' }],
    ])
  })

  it('the contact writing again reopens a resolved or pending conversation (an entry without a person); a reaction does not', async () => {
    const c = await newConversation('Oi', 'wamid.ENTRIES-FIRST')
    await manager().whatsapp.setStatus({ id: c.id, status: 'resolved' })
    // A 👍 to our message is no new request.
    await deliver(
      webhook.envelope(PHONE_NUMBER_ID, [
        {
          contacts: [{ profile: { name: 'Contato' }, wa_id: c.waId }],
          messages: [
            {
              from: c.waId,
              id: 'wamid.ENTRIES-REACTION',
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: 'reaction',
              reaction: { message_id: 'wamid.ENTRIES-FIRST', emoji: '👍' },
            },
          ],
        },
      ]),
    )
    expect(await statusOf(c.id)).toBe('resolved')
    await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(c.waId, 'Ainda tem o apartamento?')]))
    expect(await statusOf(c.id)).toBe('open')
    const entries = (await manager().whatsapp.conversation({ id: c.id })).entries
    expect(entries.at(-1)).toMatchObject({ kind: 'status', status: 'open', actorName: null })
    await manager().whatsapp.setStatus({ id: c.id, status: 'pending' })
    await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(c.waId, 'Mandei os documentos')]))
    expect(await statusOf(c.id)).toBe('open')
  })

  it('the inbox lists by status (absent or "all": every one); a bad status is refused', async () => {
    const resolved = await newConversation()
    const open = await newConversation()
    await manager().whatsapp.setStatus({ id: resolved.id, status: 'resolved' })
    const ids = async (status?: 'open' | 'pending' | 'resolved' | 'all') =>
      (await manager().whatsapp.conversations({ status, pageSize: 100 })).rows.map((r) => r.id)
    expect(await ids('resolved')).toContain(resolved.id)
    expect(await ids('resolved')).not.toContain(open.id)
    expect(await ids('open')).toContain(open.id)
    expect(await ids('open')).not.toContain(resolved.id)
    expect(await ids()).toEqual(expect.arrayContaining([open.id, resolved.id]))
    expect(await ids('all')).toEqual(expect.arrayContaining([open.id, resolved.id]))
    const row = (await manager().whatsapp.conversations({ status: 'resolved', pageSize: 100 })).rows.find(
      (r) => r.id === resolved.id,
    )
    expect(row?.status).toBe('resolved')
    expect(
      await outcome(manager().whatsapp.setStatus({ id: open.id, status: 'closed' as unknown as 'resolved' })),
    ).toBe('BAD_REQUEST')
  })
})

describe('internal notes', () => {
  it('a member adds a note: in the thread with its author, never sent; the same id again adds it once', async () => {
    const c = await newConversation()
    const sendsBefore = graph.sends.length
    const id = crypto.randomUUID()
    const note = await agent().whatsapp.addNote({ id, conversationId: c.id, body: 'Cliente prefere ligação à tarde' })
    await agent().whatsapp.addNote({ id, conversationId: c.id, body: 'Cliente prefere ligação à tarde' })
    expect(note).toMatchObject({ id, kind: 'note', actorUserId: w.a.agent.userId })
    const entries = (await agent().whatsapp.conversation({ id: c.id })).entries
    expect(entries.filter((e) => e.kind === 'note')).toEqual([
      expect.objectContaining({ id, body: 'Cliente prefere ligação à tarde', actorName: agentName, canDelete: true }),
    ])
    // The manager may delete anyone's note; it shows as deletable to them too.
    expect((await manager().whatsapp.conversation({ id: c.id })).entries[0]!.canDelete).toBe(true)
    expect(graph.sends.length).toBe(sendsBefore)
    // The id reused for other words, or in another conversation, is refused rather than silently kept.
    expect(await outcome(agent().whatsapp.addNote({ id, conversationId: c.id, body: 'Outra coisa' }))).toBe('CONFLICT')
  })

  it('only the author or a manager deletes a note; empty, NUL-only or oversized notes are refused', async () => {
    const c = await newConversation()
    const mine = await manager().whatsapp.addNote({ id: crypto.randomUUID(), conversationId: c.id, body: 'Do gerente' })
    expect(await outcome(agent().whatsapp.deleteNote({ id: mine.id }))).toBe('FORBIDDEN')
    const theirs = await agent().whatsapp.addNote({
      id: crypto.randomUUID(),
      conversationId: c.id,
      body: 'Do corretor',
    })
    expect((await agent().whatsapp.conversation({ id: c.id })).entries.map((e) => [e.body, e.canDelete])).toEqual([
      ['Do gerente', false],
      ['Do corretor', true],
    ])
    expect(await outcome(agent().whatsapp.deleteNote({ id: theirs.id }))).toBe('OK')
    expect(await outcome(manager().whatsapp.deleteNote({ id: mine.id }))).toBe('OK')
    expect(await outcome(manager().whatsapp.deleteNote({ id: mine.id }))).toBe('NOT_FOUND')
    expect((await manager().whatsapp.conversation({ id: c.id })).entries).toEqual([])
    for (const body of ['', '   ', '\u0000', 'x'.repeat(4097)])
      expect(await outcome(agent().whatsapp.addNote({ id: crypto.randomUUID(), conversationId: c.id, body }))).toBe(
        'BAD_REQUEST',
      )
  })
})

describe('labels', () => {
  it('a set of labels folds case and duplicates, filters the inbox, and is counted for suggestions; bad sets are refused', async () => {
    const a = await newConversation()
    const b = await newConversation()
    expect(
      await manager().whatsapp.setLabels({ id: a.id, labels: ['Financiamento', 'financiamento ', 'Locação'] }),
    ).toEqual({ labels: ['financiamento', 'locação'] })
    await agent().whatsapp.setLabels({ id: b.id, labels: ['financiamento'] })
    const withLabel = async (label: string) =>
      (await manager().whatsapp.conversations({ label, pageSize: 100 })).rows.map((r) => r.id)
    expect(await withLabel('FINANCIAMENTO')).toEqual(expect.arrayContaining([a.id, b.id]))
    expect(await withLabel('locação')).toEqual([a.id])
    expect((await manager().whatsapp.conversations({ label: 'locação' })).rows[0]!.labels).toEqual([
      'financiamento',
      'locação',
    ])
    expect(await manager().whatsapp.labels()).toEqual(
      expect.arrayContaining([
        { label: 'financiamento', count: 2 },
        { label: 'locação', count: 1 },
      ]),
    )
    // The same set again is no change (no audit entry); an empty set clears.
    await manager().whatsapp.setLabels({ id: a.id, labels: ['locação', 'financiamento'] })
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'whatsapp.conversation.labels' and entity_id = ${a.id}`,
    )) as unknown as [{ n: number }]
    expect(n).toBe(1)
    expect(await manager().whatsapp.setLabels({ id: b.id, labels: [] })).toEqual({ labels: [] })
    for (const labels of [['a,b'], [''], ['x'.repeat(31)], ['\u0000'], Array.from({ length: 11 }, (_, i) => `l${i}`)])
      expect(await outcome(manager().whatsapp.setLabels({ id: a.id, labels }))).toBe('BAD_REQUEST')
  })

  it('one label in or out composes with changes running at the same time (none is lost), and the 11th is refused', async () => {
    const c = await newConversation()
    const added = ['visita', 'Financiamento', 'permuta', 'urgente']
    await Promise.all(added.map((add) => manager().whatsapp.setLabels({ id: c.id, add })))
    const labelsOf = async () =>
      (await manager().whatsapp.conversations({ status: 'all', pageSize: 100 })).rows.find((r) => r.id === c.id)!.labels
    expect(await labelsOf()).toEqual(['financiamento', 'permuta', 'urgente', 'visita'])
    await Promise.all([
      manager().whatsapp.setLabels({ id: c.id, remove: 'VISITA' }),
      agent().whatsapp.setLabels({ id: c.id, add: 'locação' }),
      manager().whatsapp.setLabels({ id: c.id, remove: 'não-existe' }),
    ])
    expect(await labelsOf()).toEqual(['financiamento', 'locação', 'permuta', 'urgente'])
    await manager().whatsapp.setLabels({ id: c.id, labels: Array.from({ length: 10 }, (_, i) => `l${i}`) })
    expect(await outcome(manager().whatsapp.setLabels({ id: c.id, add: 'a-mais' }))).toBe('BAD_REQUEST')
    for (const add of ['', 'a,b', '\u0000', 'x'.repeat(31)])
      expect(await outcome(manager().whatsapp.setLabels({ id: c.id, add }))).toBe('BAD_REQUEST')
  })

  it('an agent who sees only their own conversations gets only their labels as suggestions', async () => {
    const hidden = await newConversation()
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set assigned_to = ${w.a.manager.userId} where id = ${hidden.id}`,
    )
    await manager().whatsapp.setLabels({ id: hidden.id, labels: ['segredo-do-gerente'] })
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    expect((await agent().whatsapp.labels()).map((l) => l.label)).not.toContain('segredo-do-gerente')
    expect((await manager().whatsapp.labels()).map((l) => l.label)).toContain('segredo-do-gerente')
    expect(await outcome(agent().whatsapp.setLabels({ id: hidden.id, labels: ['x'] }))).toBe('NOT_FOUND')
  })
})

describe('bulk changes from the inbox', () => {
  it('resolves, labels and assigns the ticked conversations, each with its own entry; what the agent may not change is skipped', async () => {
    const [a, b, theirs] = [await newConversation(), await newConversation(), await newConversation()]
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set assigned_to = ${w.a.manager.userId} where id = ${theirs.id}`,
    )
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = true where id = ${w.a.agencyId}`)
    const ids = [a.id, b.id, theirs.id]
    expect(await agent().whatsapp.bulk({ ids, action: { kind: 'status', status: 'resolved' } })).toEqual({
      changed: 2,
      skipped: 1,
      operation: null,
    })
    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(theirs.id)]).toEqual([
      'resolved',
      'resolved',
      'open',
    ])
    expect((await manager().whatsapp.conversation({ id: a.id })).entries.map((e) => e.status)).toEqual(['resolved'])
    expect(await manager().whatsapp.bulk({ ids, action: { kind: 'addLabel', label: 'Campanha' } })).toEqual({
      changed: 3,
      skipped: 0,
      operation: null,
    })
    expect((await manager().whatsapp.conversations({ label: 'campanha', pageSize: 100 })).rows).toHaveLength(3)
    await manager().whatsapp.bulk({ ids: [a.id], action: { kind: 'removeLabel', label: 'campanha' } })
    expect((await manager().whatsapp.conversations({ label: 'campanha', pageSize: 100 })).rows).toHaveLength(2)
    await manager().whatsapp.bulk({ ids: [a.id, b.id], action: { kind: 'assign', assignedTo: w.a.agent.userId } })
    const assigned = await w.t.owner.db.execute<{ assigned_to: string }>(
      sql`select assigned_to from whatsapp_conversations where id in (${a.id}, ${b.id})`,
    )
    expect(assigned.map((r) => r.assigned_to)).toEqual([w.a.agent.userId, w.a.agent.userId])
    // Nothing the caller may change is a refusal, not "0 changed"; an empty or oversized selection is refused.
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    expect(await outcome(agent().whatsapp.bulk({ ids: [theirs.id], action: { kind: 'status', status: 'open' } }))).toBe(
      'NOT_FOUND',
    )
    expect(await outcome(manager().whatsapp.bulk({ ids: [], action: { kind: 'status', status: 'open' } }))).toBe(
      'BAD_REQUEST',
    )
    expect(
      await outcome(
        manager().whatsapp.bulk({
          ids: Array.from({ length: 101 }, () => crypto.randomUUID()),
          action: { kind: 'status', status: 'open' },
        }),
      ),
    ).toBe('BAD_REQUEST')
  })

  it('changes every conversation the inbox filters match, past 500 as a job; the agent’s "all" is what they may see', async () => {
    const [a, b, c] = [await newConversation(), await newConversation(), await newConversation()]
    await manager().whatsapp.bulk({ ids: [a.id, b.id, c.id], action: { kind: 'addLabel', label: 'lote-filtro' } })
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set assigned_to = ${w.a.manager.userId} where id = ${c.id}`,
    )
    // The agent sees only their own and the unassigned: "all that match" is a and b.
    expect(
      await agent().whatsapp.bulk({
        filter: { label: 'lote-filtro', status: 'open' },
        action: { kind: 'status', status: 'pending' },
      }),
    ).toEqual({ changed: 2, skipped: 0, operation: null })
    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(c.id)]).toEqual(['pending', 'pending', 'open'])
    expect(
      await manager().whatsapp.bulk({
        filter: { label: 'lote-filtro' },
        action: { kind: 'status', status: 'resolved' },
      }),
    ).toEqual({ changed: 3, skipped: 0, operation: null })
    // Nothing matches any more: refused on the selection, not "0 changed".
    const none = await manager()
      .whatsapp.bulk({
        filter: { label: 'lote-filtro', status: 'open' },
        action: { kind: 'status', status: 'pending' },
      })
      .catch((e: unknown) => describeError(e))
    expect(none).toMatchObject({ fieldErrors: { selection: ['bulk.empty'] } })
    // More than 500 at once runs in the background, checkpointed like any bulk operation, each conversation through
    // its own one-off change as the member who started it.
    await w.t.owner.db.execute(sql`
      insert into whatsapp_conversations (agency_id, account_id, contact_wa_id, contact_phone, labels)
      select ${w.a.agencyId}, ${accountId}, '5521' || lpad(i::text, 9, '0'), '+5521' || lpad(i::text, 9, '0'), array['muitas']
      from generate_series(1, 501) i`)
    const many = await manager().whatsapp.bulk({
      filter: { label: 'muitas' },
      action: { kind: 'status', status: 'resolved' },
    })
    expect(many).toMatchObject({ changed: 0, operation: { entity: 'conversation', status: 'running', total: 501 } })
    expect(await queuedPayloads(w.t, 'bulk:run')).toContainEqual({
      agencyId: w.a.agencyId,
      operationId: many.operation!.id,
    })
    const chunk = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        runBulkChunk(tx, { agencyId: w.a.agencyId, operationId: many.operation!.id }),
      )
    while ((await chunk()) === 'more');
    expect(await manager().bulk.get({ id: many.operation!.id })).toMatchObject({
      status: 'done',
      done: 501,
      changed: 501,
    })
    const [left] = await w.t.owner.db.execute<{ open: number; entries: number }>(sql`
      select count(*) filter (where c.status = 'open')::int as open,
        (select count(*)::int from whatsapp_conversation_entries e
          join whatsapp_conversations c2 on c2.id = e.conversation_id
          where 'muitas' = any(c2.labels) and e.kind = 'status' and e.actor_user_id = ${w.a.manager.userId}) as entries
      from whatsapp_conversations c where 'muitas' = any(c.labels)`)
    expect(left).toEqual({ open: 0, entries: 501 })
    const [audited] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'conversation.bulk' and entity_id = ${many.operation!.id}`,
    )
    expect(audited!.n).toBe(1)
  })
})

describe('replies that quote a message', () => {
  it('a reply names the quoted message to WhatsApp and the thread shows the quote on it', async () => {
    const c = await newConversation('Qual o valor do condomínio?', 'wamid.ENTRIES-QUESTION')
    const detail = await manager().whatsapp.conversation({ id: c.id })
    const question = detail.messages.find((m) => m.body === 'Qual o valor do condomínio?')!
    expect(question.providerMessageId).toBe('wamid.ENTRIES-QUESTION')
    const reply = await manager().whatsapp.send({
      id: crypto.randomUUID(),
      conversationId: c.id,
      type: 'text',
      text: 'R$ 850 por mês',
      replyTo: question.providerMessageId!,
    })
    const after = await manager().whatsapp.conversation({ id: c.id })
    // Who sent it is named (read after the page's limit, not joined into it).
    expect(after.messages.find((m) => m.id === reply.id)?.sentByName).toBe(managerName)
    expect(after.messages.find((m) => m.id === question.id)?.sentByName).toBeNull()
    expect(after.messages.find((m) => m.id === reply.id)?.quote).toEqual({
      direction: 'inbound',
      type: 'text',
      body: 'Qual o valor do condomínio?',
    })
    // A quoted id of another conversation (or none we know) shows no quote rather than someone else's words.
    const other = await newConversation('Segredo de outra conversa', 'wamid.ENTRIES-OTHER')
    const stray = await manager().whatsapp.send({
      id: crypto.randomUUID(),
      conversationId: c.id,
      type: 'text',
      text: 'Resposta',
      replyTo: 'wamid.ENTRIES-OTHER',
    })
    expect((await manager().whatsapp.conversation({ id: c.id })).messages.find((m) => m.id === stray.id)?.quote).toBe(
      null,
    )
    expect(other.id).not.toBe(c.id)
  })
})
