import {
  readCalendarFeed,
  readFeedPhoto,
  readSharedPhoto,
  readListingFeed,
  receivePortalLead,
  receiveWebhook,
  verifyWebhookSubscription,
} from '@impera/api/services'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import express, { type Express } from 'express'
import type { WebApp } from './app'

/**
 * Provider webhooks. The body is read as raw bytes (the signature covers the exact bytes; re-serialised JSON would not
 * match, e.g. with escaped accents) and stored before we answer: 200 means stored and scheduled, 403 a bad signature
 * (noted as evidence, never processed), 404 an id that names no account, 5xx a storage failure the provider will retry.
 */
export function mountWebhooks(server: Express, app: WebApp) {
  server.get('/webhooks/whatsapp/:accountId', async (req, res) => {
    try {
      const query = new URL(req.originalUrl, 'http://x').searchParams
      const out = await verifyWebhookSubscription(app, { accountId: req.params.accountId!, query })
      res.status(out.status).type('text/plain').send(out.body)
    } catch (e) {
      app.log.error({ err: e }, 'webhook verification failed')
      res.status(500).end()
    }
  })

  server.post('/webhooks/whatsapp/:accountId', express.raw({ type: () => true, limit: '4mb' }), async (req, res) => {
    const requestId = res.locals.requestId as string
    try {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
      const headers: Record<string, string | undefined> = {}
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v
      // The client address (behind a proxy, as TRUST_PROXY says): refusals are kept per source, a bounded number each.
      const out = await receiveWebhook(app, { accountId: req.params.accountId!, rawBody, headers, source: req.ip })
      res.status(out.status).end()
    } catch (e) {
      app.log.error({ err: e, requestId }, 'webhook not stored')
      res.status(500).end()
    }
  })

  // Portal lead push (decision 022): the token names the agency, Basic credentials authenticate the portal; 201 means
  // stored and scheduled, as the portal's contract counts only a 2xx as received.
  server.post(
    '/integrations/grupo-olx/:token/leads',
    express.raw({ type: () => true, limit: '256kb' }),
    async (req, res) => {
      const requestId = res.locals.requestId as string
      try {
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
        const headers: Record<string, string | undefined> = {}
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v
        const out = await receivePortalLead(app, { token: req.params.token!, rawBody, headers })
        if (out.status === 401) res.set('WWW-Authenticate', 'Basic realm="impera", charset="UTF-8"')
        const { status, ...body } = out
        res.status(status).json(body)
      } catch (e) {
        app.log.error({ err: e, requestId }, 'portal lead not stored')
        res.status(500).end()
      }
    },
  )

  // The agency's listing feed for the portals (decision 023): public by its token, streamed, with an ETag so a
  // crawler that is up to date gets a 304. Shared caches may keep it a few minutes; it is no secret beyond its URL.
  server.get('/feeds/:token/vrsync.xml', async (req, res) => {
    const requestId = res.locals.requestId as string
    try {
      const out = await readListingFeed(
        { db: app.db, signer: app.feedPhotos },
        { token: req.params.token!, ifNoneMatch: req.get('if-none-match') },
      )
      if (out.status === 404) return void res.status(404).type('text/plain').send('Not found')
      res.set({ etag: out.etag, 'cache-control': 'public, max-age=600', 'x-content-type-options': 'nosniff' })
      if (out.status === 304) return void res.status(304).end()
      res.status(200).type('application/xml; charset=utf-8')
      // Backpressure through the pipeline: a slow crawler holds the walk, not the server's memory; a crawler that
      // hangs up stops it.
      await pipeline(Readable.from(out.body), res)
    } catch (e) {
      // The crawler hung up mid-feed: nothing failed on our side.
      if ((e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return
      app.log.error({ err: e, requestId }, 'listing feed failed')
      if (res.headersSent) res.destroy()
      else res.status(500).end()
    }
  })

  // A member's private calendar (decision 025): Google and Apple Calendar subscribe by this URL and poll it, so the
  // token is the credential; nothing is cached by shared caches.
  server.get('/calendar/:file', async (req, res) => {
    const requestId = res.locals.requestId as string
    const token = /^([A-Za-z0-9_-]{32})\.ics$/.exec(req.params.file ?? '')?.[1]
    if (!token) return void res.status(404).type('text/plain').send('Not found')
    try {
      const ics = await readCalendarFeed(app.db, { token, origin: app.env.origin })
      if (ics === null) return void res.status(404).type('text/plain').send('Not found')
      res.set({ 'cache-control': 'private, max-age=300', 'x-content-type-options': 'nosniff' })
      res.status(200).type('text/calendar; charset=utf-8').send(ics)
    } catch (e) {
      app.log.error({ err: e, requestId }, 'calendar feed failed')
      res.status(500).end()
    }
  })

  // The photos of a listing shared with a contact (issue 16): as long as its link is valid, by the link's token.
  server.get('/p/:token/photos/:photo', async (req, res) => {
    const requestId = res.locals.requestId as string
    const photo = /^([0-9a-f-]{36})\.jpg$/.exec(req.params.photo ?? '')
    if (!photo) return void res.status(404).end()
    try {
      const out = await readSharedPhoto(
        { db: app.db, storage: app.storage },
        { token: req.params.token ?? '', photoId: photo[1]! },
      )
      if (out.status !== 200) return void res.status(out.status).end()
      res.set({
        'content-type': 'image/jpeg',
        // The link may be withdrawn or expire: browsers keep it a while, shared caches not at all.
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
        'x-robots-tag': 'noindex',
      })
      res.end(out.bytes)
    } catch (e) {
      app.log.error({ err: e, requestId }, 'shared photo failed')
      res.status(500).end()
    }
  })

  server.get('/feeds/photos/:agencyId/:photo', async (req, res) => {
    const requestId = res.locals.requestId as string
    const photo = /^([0-9a-f-]{36})\.jpg$/.exec(req.params.photo ?? '')
    const agencyId = req.params.agencyId ?? ''
    if (!photo || !/^[0-9a-f-]{36}$/.test(agencyId)) return void res.status(404).end()
    try {
      const out = await readFeedPhoto(
        { db: app.db, storage: app.storage, signer: app.feedPhotos },
        {
          agencyId,
          photoId: photo[1]!,
          expires: Number(req.query.expires),
          signature: typeof req.query.signature === 'string' ? req.query.signature : '',
        },
      )
      if (out.status !== 200) return void res.status(out.status).end()
      // A photo id's bytes never change; the link carries its own expiry.
      res.set({
        'content-type': 'image/jpeg',
        'cache-control': 'public, max-age=86400',
        'x-content-type-options': 'nosniff',
      })
      res.end(out.bytes)
    } catch (e) {
      app.log.error({ err: e, requestId }, 'feed photo failed')
      res.status(500).end()
    }
  })
}
