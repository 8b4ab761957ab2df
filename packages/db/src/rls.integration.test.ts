import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withAgency, withPlatform } from './rls'
import { auditLog, invitations, memberships } from './schema'
import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from './testing'

let t: TestDatabase
let agencyA: string
let agencyB: string
let userA: string

beforeAll(async () => {
  t = await createTestDatabase({ appPoolMax: 1 })
  const o = t.owner.db
  agencyA = (await insertAgency(o)).id
  agencyB = (await insertAgency(o)).id
  userA = (await insertUser(o)).id
  const userB = (await insertUser(o)).id
  await addMember(o, { agencyId: agencyA, userId: userA, role: 'manager' })
  await addMember(o, { agencyId: agencyB, userId: userB, role: 'manager' })
  for (const [agencyId, by] of [
    [agencyA, userA],
    [agencyB, userB],
  ] as const) {
    await o.insert(invitations).values({
      agencyId,
      email: `x-${agencyId}@example.test`,
      role: 'agent',
      tokenHash: `h-${agencyId}`,
      invitedBy: by,
      expiresAt: new Date(Date.now() + 1e6),
    })
    await o.insert(auditLog).values({ agencyId, actorUserId: by, action: 'test', entity: 'test' })
  }
})
afterAll(() => t.close())

async function tenantTables(): Promise<string[]> {
  const rows = await t.owner.sql<{ table_name: string }[]>`
    select c.table_name from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.column_name = 'agency_id' order by 1`
  return rows.map((r) => r.table_name)
}

describe('catalog', () => {
  it('finds the tenant tables (guards against an empty check)', async () => {
    expect(await tenantTables()).toEqual(expect.arrayContaining(['memberships', 'invitations', 'audit_log']))
  })

  it('every table with agency_id has RLS enabled and forced, a fence per command and an index leading with agency_id', async () => {
    for (const table of await tenantTables()) {
      const [cls] = await t.owner.sql<{ relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
        select relrowsecurity, relforcerowsecurity from pg_class where oid = ${`public.${table}`}::regclass`
      expect(cls, table).toEqual({ relrowsecurity: true, relforcerowsecurity: true })
      const policies = await t.owner.sql<
        { cmd: string; permissive: string; roles: string[]; qual: string | null; with_check: string | null }[]
      >`
        select cmd, permissive, roles::text[] as roles, qual, with_check from pg_policies where schemaname = 'public' and tablename = ${table}`
      for (const cmd of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) {
        const fence = policies.find(
          (p) => p.cmd === cmd && p.permissive === 'RESTRICTIVE' && p.roles.includes('app_rls'),
        )
        expect(fence, `${table} ${cmd} restrictive fence for app_rls`).toBeDefined()
        if (cmd !== 'INSERT') expect(fence!.qual, `${table} ${cmd} USING`).toBeTruthy()
        if (cmd === 'INSERT' || cmd === 'UPDATE') expect(fence!.with_check, `${table} ${cmd} WITH CHECK`).toBeTruthy()
        if (fence!.qual && fence!.qual !== 'false') expect(fence!.qual).toContain("current_setting('app.agency_id'")
        expect(
          policies.some((p) => p.cmd === cmd && p.permissive === 'PERMISSIVE' && p.roles.includes('app_rls')),
          `${table} ${cmd} permissive`,
        ).toBe(true)
      }
      const indexes = await t.owner.sql<{ first: string }[]>`
        select a.attname as first from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
        where i.indrelid = ${`public.${table}`}::regclass`
      expect(
        indexes.map((i) => i.first),
        `${table} index leading with agency_id`,
      ).toContain('agency_id')
    }
  })

  it('no policy applies to PUBLIC, and runtime roles are neither superuser, BYPASSRLS nor owners', async () => {
    const pub = await t.owner
      .sql`select tablename, policyname from pg_policies where schemaname = 'public' and 'public' = any(roles::text[])`
    expect(pub).toEqual([])
    const roles = await t.owner.sql<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
      select rolname, rolsuper, rolbypassrls from pg_roles where rolname in ('impera_app', 'app_rls', 'app_platform') order by 1`
    expect(roles).toEqual([
      { rolname: 'app_platform', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_rls', rolsuper: false, rolbypassrls: false },
      { rolname: 'impera_app', rolsuper: false, rolbypassrls: false },
    ])
    const owned = await t.owner
      .sql`select tablename from pg_tables where schemaname = 'public' and tableowner in ('impera_app', 'app_rls', 'app_platform')`
    expect(owned).toEqual([])
  })

  it('every SECURITY DEFINER function a runtime role can call is a reviewed one, and pins its search_path', async () => {
    // Each runs with its owner's rights, past RLS: each must fence the caller's agency itself (the search functions
    // read app.agency_id, the others check their arguments). A new one is reviewed, then added here.
    const reviewed = [
      'anonymise_history',
      'clients_holding_contact',
      'create_integration_principal',
      'delete_requested_agency',
      'enqueue_job',
      'integration_principal_name',
      'leads_holding_contact',
      'platform_user_last_seen',
      'resolve_api_key',
      'search_clients',
      'search_conversations',
      'search_leads',
      'search_messages',
      'search_properties',
    ]
    const rows = await t.owner.sql<{ proname: string; config: string[] | null }[]>`
      select distinct p.proname, p.proconfig::text[] as config
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join pg_roles r
      where n.nspname = 'public' and p.prosecdef and r.rolname in ('impera_app', 'app_rls', 'app_platform')
        and has_function_privilege(r.oid, p.oid, 'EXECUTE')
      order by 1`
    expect([...new Set(rows.map((r) => r.proname))]).toEqual(reviewed)
    // Without a pinned search_path, a caller's own schema could shadow what the function calls.
    for (const r of rows)
      expect(
        r.config?.some((c) => c.startsWith('search_path=')),
        r.proname,
      ).toBe(true)
  })

  it('the login role itself (without SET ROLE) reads no tenant rows', async () => {
    for (const table of await tenantTables()) {
      const rows = await t.app.sql
        .unsafe(`select count(*)::int as n from ${table}`)
        .catch((e: { code: string }) => [{ n: e.code }])
      // Either no grant (42501) or no policy for the role: both mean zero access.
      expect([0, '42501']).toContain(rows[0]!.n)
    }
  })
})

describe('request cost cap', () => {
  it('a statement_timeout given to withAgency cancels a longer statement, and leaves the next transaction unlimited', async () => {
    const slow = withAgency(t.app.db, { agencyId: agencyA, userId: userA, statementTimeoutMs: 100 }, (tx) =>
      tx.execute(sql`select pg_sleep(2)`),
    )
    await expect(slow).rejects.toMatchObject({ cause: { code: '57014' } })
    const [row] = await withAgency(t.app.db, { agencyId: agencyA, userId: userA }, (tx) =>
      tx.execute<{ statement_timeout: string }>(sql`show statement_timeout`),
    )
    expect(row!.statement_timeout).toBe('0')
  })
})

describe('platform role', () => {
  it('writes audit entries but reads none: agencies’ diffs carry their records’ contents', async () => {
    const read = withPlatform(t.app.db, { userId: userA }, (tx) => tx.execute(sql`select count(*) from audit_log`))
    await expect(read).rejects.toMatchObject({ cause: { code: '42501' } })
    await withPlatform(t.app.db, { userId: userA }, (tx) =>
      tx.insert(auditLog).values({ agencyId: agencyA, actorUserId: userA, action: 'agency.suspend', entity: 'agency' }),
    )
    const [n] = await t.owner.sql<
      { n: number }[]
    >`select count(*)::int as n from audit_log where action = 'agency.suspend'`
    expect(n!.n).toBe(1)
  })
})

describe('tenant transaction', () => {
  it('with no agency set, the tenant role sees zero rows in every tenant table', async () => {
    for (const table of await tenantTables()) {
      const n = await t.app.db.transaction(async (tx) => {
        await tx.execute(sql`set local role app_rls`)
        const r = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`)
        return r[0]!.n
      })
      expect(n, table).toBe(0)
    }
  })

  it('sees only its own agency, cannot write into or move rows to another one', async () => {
    await withAgency(t.app.db, { agencyId: agencyA, userId: userA }, async (tx) => {
      const rows = await tx.select({ agencyId: invitations.agencyId }).from(invitations)
      expect(rows.map((r) => r.agencyId)).toEqual([agencyA])
      const updated = await tx.execute(sql`update invitations set role = 'manager' where agency_id = ${agencyB}`)
      expect(updated.count).toBe(0)
      const deleted = await tx.execute(sql`delete from memberships where agency_id = ${agencyB}`)
      expect(deleted.count).toBe(0)
    })
    const insertErr = await withAgency(t.app.db, { agencyId: agencyA, userId: userA }, (tx) =>
      tx.insert(invitations).values({
        agencyId: agencyB,
        email: 'evil@example.test',
        role: 'manager',
        tokenHash: 'evil',
        expiresAt: new Date(),
      }),
    ).catch((e: { cause?: { code?: string } }) => e.cause?.code)
    expect(insertErr).toBe('42501')
    const moveErr = await withAgency(t.app.db, { agencyId: agencyA, userId: userA }, (tx) =>
      tx.execute(sql`update invitations set agency_id = ${agencyB} where agency_id = ${agencyA}`),
    ).catch((e: { cause?: { code?: string } }) => e.cause?.code)
    expect(moveErr).toBe('42501')
  })

  it('finds who holds a phone or an e-mail only among the live records of its own agency (decision 052)', async () => {
    const o = t.owner.sql
    const phone = '+5511987650052'
    const [mine] =
      await o`insert into leads (agency_id, name, phones, source) values (${agencyA}, 'A', ${[phone]}, 'website') returning id`
    const [byEmail] =
      await o`insert into leads (agency_id, name, email, source) values (${agencyA}, 'A e-mail', 'Pessoa.052@Example.test', 'website') returning id`
    await o`insert into leads (agency_id, name, phones, source, deleted_at) values (${agencyA}, 'A apagado', ${[phone]}, 'website', now())`
    await o`insert into leads (agency_id, name, phones, email, source) values (${agencyB}, 'B', ${[phone, '+5511987650053']}, 'outra.052@example.test', 'website')`
    const [client] =
      await o`insert into clients (agency_id, name, phones) values (${agencyA}, 'Cliente A', ${[phone]}) returning id`
    await o`insert into clients (agency_id, name, phones) values (${agencyB}, 'Cliente B', ${['+5511987650053']})`
    const holders = (agencyId: string, fn: 'leads' | 'clients', phones: string[], email: string | null = null) =>
      withAgency(t.app.db, { agencyId, userId: null }, async (tx) =>
        (
          await tx.execute<{ id: string }>(
            sql`select id from ${sql.raw(`${fn}_holding_contact`)}(${`{${phones.join(',')}}`}::text[], ${email}::text)`,
          )
        )
          .map((r) => r.id)
          .sort(),
      )
    expect(await holders(agencyA, 'leads', [phone, '+5511987650053'])).toEqual([mine!.id])
    expect(await holders(agencyA, 'leads', [phone], 'pessoa.052@example.test')).toEqual([mine!.id, byEmail!.id].sort())
    expect(await holders(agencyA, 'clients', [phone, '+5511987650053'])).toEqual([client!.id])
    // Another agency's phone and e-mail: nothing.
    expect(await holders(agencyA, 'leads', ['+5511987650053'], 'outra.052@example.test')).toEqual([])
    // With no agency in the context, nothing.
    expect(await holders('', 'leads', [phone], 'pessoa.052@example.test')).toEqual([])
    expect(await holders(agencyB, 'leads', [phone])).toHaveLength(1)
  })

  it('the audit log is append-only, even for the owner', async () => {
    const err = await withAgency(t.app.db, { agencyId: agencyA, userId: userA }, (tx) =>
      tx.execute(sql`delete from audit_log`),
    ).catch((e: { cause?: { code?: string } }) => e.cause?.code)
    expect(err).toBe('42501')
    const ownerErr = await t.owner.sql`update audit_log set action = 'rewritten'`.catch((e: { code: string }) => e.code)
    expect(ownerErr).toBe('42501')
  })

  it('a setting never leaks into the next transaction on a pooled connection (pool of one)', async () => {
    await withAgency(t.app.db, { agencyId: agencyA, userId: userA }, async (tx) => {
      await tx.select().from(memberships)
    })
    const [after] = await t.app.sql<{ agency: string; user: string; role: string }[]>`
      select current_setting('app.agency_id', true) as agency, current_setting('app.user_id', true) as user, current_user as role`
    expect(after).toEqual({ agency: '', user: '', role: 'impera_app' })
    // Interleaved A and B requests on the same single connection each see only their own agency.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const agencyId = i % 2 ? agencyA : agencyB
        return withAgency(t.app.db, { agencyId, userId: userA }, async (tx) => {
          const rows = await tx.select({ agencyId: invitations.agencyId }).from(invitations)
          return rows.length === 1 && rows[0]!.agencyId === agencyId
        })
      }),
    )
    expect(results.every(Boolean)).toBe(true)
  })

  it('documents why: a session-level set_config does leak into the next transaction', async () => {
    await t.app.sql`select set_config('app.agency_id', ${agencyB}, false)`
    const n = await t.app.db.transaction(async (tx) => {
      await tx.execute(sql`set local role app_rls`)
      return (await tx.execute<{ n: number }>(sql`select count(*)::int as n from invitations`))[0]!.n
    })
    expect(n).toBe(1)
    await t.app.sql`select set_config('app.agency_id', '', false)`
  })
})
