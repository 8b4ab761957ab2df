import { createTestDatabase, insertAgency, insertUser, addMember, type TestDatabase } from '@impera/db/testing'
import { sql } from '@impera/db'
import type { Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAgencyExportJob } from '@impera/api/services'
import { createStorage, type FileStorage } from '@impera/api/storage'
import pino from 'pino'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

let t: TestDatabase
let server: Server
let base: string
let cookie: string
let otherCookie: string
let agentCookie: string
let uploads: string
let storage: FileStorage
let web: ReturnType<typeof createWebApp>

beforeAll(async () => {
  t = await createTestDatabase()
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-http-uploads-'))
  const agency = await insertAgency(t.owner.db)
  const user = await insertUser(t.owner.db, { email: 'gestor@example.test', password: 'correct horse battery' })
  await addMember(t.owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })
  const other = await insertAgency(t.owner.db)
  const otherUser = await insertUser(t.owner.db, { email: 'outra@example.test', password: 'correct horse battery' })
  await addMember(t.owner.db, { agencyId: other.id, userId: otherUser.id, role: 'manager' })
  const env = {
    NODE_ENV: 'test',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: 'http://crm.test',
    devMailbox: false,
    SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = (web = createWebApp({
    env,
    db: t.app.db,
    log: pino({ level: 'silent' }),
    storage: (storage = createStorage({ driver: 'local', dir: uploads })),
  }))
  const http = createHttpApp({
    app,
    sql: t.app.sql,
    build: () => Promise.reject(new Error('no Remix build in this test')),
    mode: 'production',
    trustProxy: false,
  })
  await new Promise<void>((r) => (server = http.listen(0, '127.0.0.1', r)))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const signIn = await app.auth.signIn(new Request(base), {
    email: 'gestor@example.test',
    password: 'correct horse battery',
  })
  cookie = `${signIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agency.id}`
  const otherSignIn = await app.auth.signIn(new Request(base), {
    email: 'outra@example.test',
    password: 'correct horse battery',
  })
  otherCookie = `${otherSignIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${other.id}`
  const agent = await insertUser(t.owner.db, { email: 'corretor@example.test', password: 'correct horse battery' })
  await addMember(t.owner.db, { agencyId: agency.id, userId: agent.id, role: 'agent' })
  const agentSignIn = await app.auth.signIn(new Request(base), {
    email: 'corretor@example.test',
    password: 'correct horse battery',
  })
  agentCookie = `${agentSignIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agency.id}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  await t.close()
  await rm(uploads, { recursive: true, force: true })
})

const trpc = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  })

describe('HTTP server', () => {
  it('answers health and readiness, with a request id', async () => {
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    expect(health.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/)
    const ready = await fetch(`${base}/readyz`)
    expect(await ready.json()).toEqual({ ok: true, database: 'up', pendingMigrations: 0 })
  })

  it('serves tRPC: 401 without a session, 200 with one', async () => {
    expect((await fetch(`${base}/api/trpc/members.list`)).status).toBe(401)
    const ok = await fetch(`${base}/api/trpc/members.list`, { headers: { cookie } })
    expect(ok.status).toBe(200)
    expect(JSON.stringify(await ok.json())).toContain('gestor@example.test')
  })

  it('turns bad input into a 400 with field errors, never a 500', async () => {
    const bad = await trpc('members.invite', { email: 'not-an-email', role: 'agent' }, { cookie })
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as { error: { data: { fieldErrors: Record<string, string[]> } } }
    expect(body.error.data.fieldErrors.email).toEqual(['validation.email'])
    const huge = await trpc('profile.update', { name: 'x'.repeat(10_000), phone: null, locale: 'pt-BR' }, { cookie })
    expect(huge.status).toBe(400)
    const garbage = await fetch(`${base}/api/trpc/profile.update`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(garbage.status).toBe(400)
  })

  it('refuses oversized bodies with 413', async () => {
    const r = await trpc('profile.update', { name: 'x'.repeat(2 * 1024 * 1024) }, { cookie })
    expect(r.status).toBe(413)
  })

  it("reads the profile once for a page's loaders, and afresh after an action", async () => {
    const rename = (name: string) =>
      t.owner.db.execute(sql`update users set name = ${name} where email = 'gestor@example.test'`)
    await rename('Antes')
    const page = web.scope(new Request(`${base}/app/leads`, { headers: { cookie } }), 'r-get')
    const first = await page.me()
    await rename('Depois')
    // The same read serves every loader of the page: they render one consistent profile.
    expect(await page.me()).toBe(first)
    expect(first!.user.name).toBe('Antes')
    // An action may change the profile before the loaders that render its answer run in the same request.
    const form = web.scope(new Request(`${base}/profile`, { method: 'POST', headers: { cookie } }), 'r-post')
    expect((await form.me())!.user.name).toBe('Depois')
    await rename('Ainda depois')
    expect((await form.me())!.user.name).toBe('Ainda depois')
    expect(await web.scope(new Request(`${base}/app/leads`), 'r-anonymous').me()).toBeNull()
  })

  it('does not leak internal messages', async () => {
    const r = await fetch(`${base}/api/trpc/agency.get`, {
      headers: { cookie: cookie.replace(/impera_agency=[^;]+/, 'impera_agency=not-a-uuid') },
    })
    expect(r.status).toBe(403)
  })

  describe('property photos', () => {
    let propertyId: string
    beforeAll(async () => {
      const r = await trpc(
        'properties.create',
        { data: { title: 'Casa com jardim', type: 'house', purpose: 'sale', salePrice: 90_000_000 } },
        { cookie },
      )
      propertyId = ((await r.json()) as { result: { data: { id: string } } }).result.data.id
    })
    const photo = async (w = 640, h = 480) =>
      new Blob(
        [
          new Uint8Array(
            await sharp({ create: { width: w, height: h, channels: 3, background: '#88aa55' } })
              .jpeg()
              .toBuffer(),
          ),
        ],
        { type: 'image/jpeg' },
      )
    const upload = (form: FormData, c = cookie, id = propertyId) =>
      fetch(`${base}/uploads/properties/${id}/photos`, { method: 'POST', headers: { cookie: c }, body: form })

    it('uploads several photos (201) and serves them only to members of the agency', async () => {
      const form = new FormData()
      form.append('photos', await photo(), 'frente.jpg')
      form.append('photos', await photo(300, 300), 'jardim.jpg')
      const r = await upload(form)
      expect(r.status).toBe(201)
      const { photos } = (await r.json()) as { photos: { id: string }[] }
      expect(photos).toHaveLength(2)
      const thumb = await fetch(`${base}/media/photos/${photos[0]!.id}/thumb`, { headers: { cookie } })
      expect(thumb.status).toBe(200)
      expect(thumb.headers.get('content-type')).toBe('image/webp')
      expect(thumb.headers.get('cache-control')).toBe('private, max-age=86400')
      expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(480)
      expect((await fetch(`${base}/media/photos/${photos[0]!.id}/full`)).status).toBe(401)
      expect(
        (await fetch(`${base}/media/photos/${photos[0]!.id}/full`, { headers: { cookie: otherCookie } })).status,
      ).toBe(404)
      expect((await fetch(`${base}/media/photos/${photos[0]!.id}/original`, { headers: { cookie } })).status).toBe(404)
    })

    it('answers bad uploads with a 4xx naming the problem, never a 500', async () => {
      const pdf = new FormData()
      pdf.append('photos', new Blob(['%PDF-1.4'], { type: 'image/jpeg' }), 'planta.pdf')
      const bad = await upload(pdf)
      expect(bad.status).toBe(400)
      expect(await bad.json()).toMatchObject({ message: 'properties.photoType', meta: { file: 'planta.pdf' } })
      const big = new FormData()
      big.append('photos', new Blob([new Uint8Array(16 * 1024 * 1024)]), 'enorme.jpg')
      const tooBig = await upload(big)
      expect(tooBig.status).toBe(400)
      expect(await tooBig.json()).toMatchObject({ message: 'properties.photoTooLarge', meta: { file: 'enorme.jpg' } })
      expect((await upload(new FormData())).status).toBe(400)
      const notMultipart = await fetch(`${base}/uploads/properties/${propertyId}/photos`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(notMultipart.status).toBe(400)
      const form = new FormData()
      form.append('photos', await photo(), 'x.jpg')
      expect((await upload(form, otherCookie)).status).toBe(404)
      expect(
        (await fetch(`${base}/uploads/properties/${propertyId}/photos`, { method: 'POST', body: form })).status,
      ).toBe(401)
      expect(
        (
          await fetch(`${base}/uploads/properties/${propertyId}/photos`, {
            method: 'POST',
            headers: { cookie, origin: 'https://evil.example' },
            body: form,
          })
        ).status,
      ).toBe(403)
    })
  })
})

describe('spreadsheet upload (decision 024)', () => {
  const send = (form: FormData | string, headers: Record<string, string> = {}) =>
    fetch(`${base}/uploads/imports`, { method: 'POST', headers: { cookie, ...headers }, body: form })
  const file = (text: string | Uint8Array, name = 'leads.csv') => {
    const form = new FormData()
    form.append('file', new Blob([typeof text === 'string' ? text : Buffer.from(text)]), name)
    return form
  }

  it('stores an upload (201) and returns the import, which only its agency can open', async () => {
    const r = await send(file('Nome;Celular\nAna;11 99999-0001\n'))
    expect(r.status).toBe(201)
    const { id } = (await r.json()) as { id: string }
    const mine = await fetch(`${base}/api/trpc/imports.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, {
      headers: { cookie },
    })
    expect(mine.status).toBe(200)
    const theirs = await fetch(`${base}/api/trpc/imports.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, {
      headers: { cookie: otherCookie },
    })
    expect(theirs.status).toBe(404)
  })

  it('answers bad uploads with a 4xx naming the problem', async () => {
    expect((await fetch(`${base}/uploads/imports`, { method: 'POST', body: file('Nome\nA') })).status).toBe(401)
    const legacy = await send(file(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'velho.xls'))
    expect(legacy.status).toBe(400)
    expect(await legacy.json()).toMatchObject({ message: 'imports.errors.legacyXls' })
    const empty = await send(file(''))
    expect(await empty.json()).toMatchObject({ message: 'imports.errors.empty' })
    const two = file('Nome\nA')
    two.append('file', new Blob(['Nome\nB']), 'b.csv')
    expect(await (await send(two)).json()).toMatchObject({ message: 'imports.errors.oneFile' })
    // Not multipart at all: the import's own words, not the photo form's ("choose at least one image").
    const json = await send('{}', { 'content-type': 'application/json' })
    expect([json.status, await json.json()]).toMatchObject([
      400,
      { message: 'imports.errors.oneFile', fieldErrors: { file: ['imports.errors.oneFile'] } },
    ])
    // A body cut short or with a broken boundary was a 500 before the fuzz test found it (photos too).
    const broken = await send('--x\r\nnope', { 'content-type': 'multipart/form-data; boundary=x' })
    expect([broken.status, ((await broken.json()) as { message: string }).message]).toEqual([
      400,
      'errors.invalidInput',
    ])
    const kind = file('Nome\nA')
    kind.set('kind', 'contacts')
    expect(await (await send(kind)).json()).toMatchObject({ message: 'imports.errors.kind' })
  })

  it('refuses a file over 50 MB by name and cuts a 1 GB one off early; nothing is stored either way', async () => {
    const before = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from imports`)
    /** A multipart body of `mb` megabytes, generated as it is sent (never held by the test). */
    const body = (mb: number) => {
      const boundary = 'impera-test-boundary'
      const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="grande.csv"\r\n\r\nNome\n`
      const row = Buffer.alloc(1024 * 1024, 'a\n')
      let sent = 0
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(Buffer.from(head))
        },
        pull(c) {
          if (sent++ < mb) c.enqueue(row)
          else {
            c.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`))
            c.close()
          }
        },
      })
      return { stream, type: `multipart/form-data; boundary=${boundary}` }
    }
    const over = body(60)
    const r = await fetch(`${base}/uploads/imports`, {
      method: 'POST',
      headers: { cookie, 'content-type': over.type },
      body: over.stream,
      duplex: 'half',
    } as RequestInit)
    // The file's own cap answers first, naming it.
    expect([r.status, ((await r.json()) as { message: string }).message]).toEqual([400, 'imports.errors.tooLarge'])
    // A gigabyte: the server stops reading past its limits and a little more, and cuts the connection (or answers).
    const huge = body(1024)
    const cut = await fetch(`${base}/uploads/imports`, {
      method: 'POST',
      headers: { cookie, 'content-type': huge.type },
      body: huge.stream,
      duplex: 'half',
    } as RequestInit).then(
      (res) => res.status,
      () => 'cut',
    )
    expect([400, 413, 'cut']).toContain(cut)
    const after = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from imports`)
    expect(after[0]!.n).toBe(before[0]!.n)
    // The server is fine afterwards.
    expect((await send(file('Nome\nDepois'))).status).toBe(201)
  })
})

describe('a person’s data as a ZIP (decision 038)', () => {
  it('downloads for a manager; refuses anonymous callers, agents, other agencies and malformed ids', async () => {
    const r = await fetch(`${base}/api/trpc/leads.create`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: { name: 'Titular dos Dados', phones: ['+55 11 98888-1212'], source: 'website', tags: [], locations: [] },
      }),
    })
    const leadId = ((await r.json()) as { result: { data: { id: string } } }).result.data.id
    const url = `${base}/privacy/leads/${leadId}/export.zip`
    const zip = await fetch(url, { headers: { cookie } })
    expect(zip.status).toBe(200)
    expect(zip.headers.get('content-type')).toBe('application/zip')
    expect(zip.headers.get('content-disposition')).toMatch(/^attachment; filename="dados-pessoais-[\d-]+\.zip"$/)
    expect(zip.headers.get('cache-control')).toBe('no-store')
    // A ZIP's signature, then the person in it.
    const bytes = Buffer.from(await zip.arrayBuffer())
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { cookie: agentCookie } })).status).toBe(403)
    expect((await fetch(url, { headers: { cookie: otherCookie } })).status).toBe(404)
    expect((await fetch(`${base}/privacy/clients/${leadId}/export.zip`, { headers: { cookie } })).status).toBe(404)
    expect((await fetch(`${base}/privacy/leads/not-a-uuid/export.zip`, { headers: { cookie } })).status).toBe(404)
    expect((await fetch(`${base}/privacy/users/${leadId}/export.zip`, { headers: { cookie } })).status).toBe(404)
  })
})

describe('the agency export download (decision 041)', () => {
  it('streams a ready export to its managers; 409 before it is ready; refuses everyone else', async () => {
    const r = await trpc('agencyExport.request', { separator: ',' }, { cookie })
    expect(r.status).toBe(200)
    const id = ((await r.json()) as { result: { data: { id: string } } }).result.data.id
    const url = `${base}/exports/${id}/download`
    expect((await fetch(url, { headers: { cookie } })).status).toBe(409)
    const agencyId = /impera_agency=([\w-]+)/.exec(cookie)![1]!
    expect(await runAgencyExportJob({ db: t.app.db, storage }, { agencyId, exportId: id }, { final: true })).toBe(
      'ready',
    )
    const zip = await fetch(url, { headers: { cookie } })
    expect(zip.status).toBe(200)
    expect(zip.headers.get('content-type')).toBe('application/zip')
    expect(zip.headers.get('content-disposition')).toMatch(/^attachment; filename="impera-[\d-]+-[0-9a-f]{8}\.zip"$/)
    expect(zip.headers.get('cache-control')).toBe('no-store')
    const bytes = Buffer.from(await zip.arrayBuffer())
    expect(Number(zip.headers.get('content-length'))).toBe(bytes.length)
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { cookie: agentCookie } })).status).toBe(403)
    expect((await fetch(url, { headers: { cookie: otherCookie } })).status).toBe(404)
    expect((await fetch(`${base}/exports/not-a-uuid/download`, { headers: { cookie } })).status).toBe(404)
  })
})

describe('the agency logo (issue 18)', () => {
  const send = (body: FormData | string, who = cookie, headers: Record<string, string> = {}) =>
    fetch(`${base}/uploads/agency/logo`, { method: 'POST', headers: { cookie: who, ...headers }, body })
  const image = async (format: 'png' | 'jpeg', width = 900) => {
    const canvas = sharp({
      create: { width, height: 300, channels: 4, background: { r: 30, g: 58, b: 138, alpha: 1 } },
    })
    return (format === 'png' ? canvas.png() : canvas.jpeg()).toBuffer()
  }
  const form = (bytes: Uint8Array | string, name = 'logo.png') => {
    const f = new FormData()
    f.append('logo', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name)
    return f
  }

  it('a manager uploads one; it is served publicly, scaled and cached for good; removing it takes it away', async () => {
    const r = await send(form(await image('jpeg'), 'logo.jpg'))
    expect(r.status).toBe(201)
    const { logoKey } = (await r.json()) as { logoKey: string }
    expect(logoKey).toMatch(/^[0-9a-f-]{36}\/branding\/logo-[0-9a-f-]{36}\.png$/)
    const url = `${base}/media/branding/${logoKey.replace('/branding/', '/')}`
    // No session needed: the shared listing page shows it.
    const got = await fetch(url)
    expect([got.status, got.headers.get('content-type'), got.headers.get('cache-control')]).toEqual([
      200,
      'image/png',
      'public, max-age=31536000, immutable',
    ])
    expect((await sharp(Buffer.from(await got.arrayBuffer())).metadata()).width).toBe(512)

    const again = await send(form(await image('png', 200)))
    const second = ((await again.json()) as { logoKey: string }).logoKey
    expect(second).not.toBe(logoKey)
    const removed = await trpc('agency.removeLogo', {}, { cookie })
    expect(removed.status).toBe(200)
    expect(((await removed.json()) as { result: { data: { logoKey: null } } }).result.data.logoKey).toBeNull()
  })

  it('refuses other people, other files and malformed paths with a 4xx', async () => {
    const png = await image('png', 100)
    expect((await send(form(png), '')).status).toBe(401)
    expect((await send(form(png), agentCookie)).status).toBe(403)
    const fake = await send(form('not an image at all', 'logo.png'))
    expect([fake.status, ((await fake.json()) as { message: string }).message]).toEqual([400, 'settings.logoType'])
    const big = await send(form(new Uint8Array(2 * 1024 * 1024 + 10), 'big.png'))
    const bigAnswer = (await big.json()) as { message: string; fieldErrors?: Record<string, string[]> }
    expect([big.status, bigAnswer.message, bigAnswer.fieldErrors]).toEqual([
      400,
      'settings.logoTooLarge',
      { logo: ['settings.logoTooLarge'] },
    ])
    expect((await trpc('agency.removeLogo', {}, { cookie: agentCookie })).status).toBe(403)
    const two = form(png)
    two.append('logo', new Blob([new Uint8Array(png)]), 'b.png')
    expect(((await (await send(two)).json()) as { message: string }).message).toBe('settings.logoOne')
    expect((await send('--x\r\nnope', cookie, { 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(400)
    for (const path of [
      '/media/branding/not-a-uuid/logo.png',
      '/media/branding/..%2f..%2fetc/passwd',
      `/media/branding/${crypto.randomUUID()}/logo-${crypto.randomUUID()}.png`,
      `/media/branding/${crypto.randomUUID()}/secret.zip`,
    ])
      expect((await fetch(`${base}${path}`)).status, path).toBe(404)
  })
})
