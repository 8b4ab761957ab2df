import {
  addPropertyPhotos,
  IMPORT_MAX_BYTES,
  OUTBOUND_MEDIA_MAX_BYTES,
  PHOTO_MAX_BYTES,
  queueWhatsappMedia,
  readPropertyPhoto,
  readWhatsappMedia,
  exportPerson,
  openAgencyExport,
  LOGO_MAX_BYTES,
  setAgencyLogo,
  uploadImport,
  type UploadedFile,
} from '@impera/api/services'
import { AppError, isAppError, type AppErrorCode } from '@impera/api/errors'
import type { FileStorage } from '@impera/api/storage'
import { LOGO_KEY } from '@impera/api/branding'
import { ZImportKind } from '@impera/api/schemas'
import { withAgencyActor } from '@impera/api'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { WebApp } from './app'
import { bodyTooLarge, limitedBody, toFetchRequest } from './fetch-request'

/** At most this many files per upload request (the property's own limit is checked by the service). */
const FILES_PER_UPLOAD = 20
export const UPLOAD_MAX_BYTES = FILES_PER_UPLOAD * PHOTO_MAX_BYTES + 1024 * 1024

const httpStatus: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  INVALID_INPUT: 400,
  RATE_LIMITED: 429,
  INTERNAL: 500,
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * How a route names its refusals: the form field they are reported on, the message for a body with no file (or no
 * multipart at all) and for an oversized file. The photo form's words are the default.
 */
interface UploadForm {
  fields?: Record<string, string>
  maxBytes?: number
  field?: string
  none?: string
  tooLarge?: string
}

/** Reads multipart files (and small text fields) into memory within limits; an oversized file fails with its name. */
function readFiles(
  req: ExpressRequest,
  res: ExpressResponse,
  {
    fields = {},
    maxBytes = PHOTO_MAX_BYTES,
    field = 'photos',
    none = 'properties.photoNone',
    tooLarge = 'properties.photoTooLarge',
  }: UploadForm = {},
): Promise<(UploadedFile & { type: string })[]> {
  const refusal = (message: string, userMessage: string, meta: Record<string, unknown> = {}) =>
    new AppError('INVALID_INPUT', message, { userMessage, meta: { fields: { [field]: [userMessage] }, ...meta } })
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: maxBytes, files: FILES_PER_UPLOAD, fields: 10, fieldSize: 4096 },
      })
    } catch {
      // Not multipart at all (no body, JSON): the same words as a form sent without its file.
      return reject(refusal('not multipart', none))
    }
    const files: (UploadedFile & { type: string })[] = []
    bb.on('field', (name, value) => (fields[name] = value))
    let failed: AppError | null = null
    bb.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('limit', () => {
        failed ??= refusal('file too large', tooLarge, { file: info.filename, maxBytes })
      })
      stream.on('close', () =>
        files.push({
          name: info.filename ?? 'file',
          type: info.mimeType,
          bytes: new Uint8Array(Buffer.concat(chunks)),
        }),
      )
    })
    bb.on('filesLimit', () => {
      // Only the photo form takes several files; the others take one, and say so.
      failed ??= refusal('too many files', field === 'photos' ? 'properties.photoTooMany' : none, {
        limit: FILES_PER_UPLOAD,
      })
    })
    // A body that is not the multipart it claims (cut short, a broken boundary, a header it cannot parse) is the
    // client's mistake: a 400, not a crash.
    bb.on('error', (e) =>
      reject(
        new AppError('INVALID_INPUT', 'malformed multipart', {
          userMessage: 'errors.invalidInput',
          cause: e,
          meta: { fields: {} },
        }),
      ),
    )
    bb.on('close', () => (failed ? reject(failed) : resolve(files)))
    const body = limitedBody(req, res)
    body.on('error', reject)
    body.pipe(bb)
  })
}

function sendError(app: WebApp, res: ExpressResponse, e: unknown, requestId: string) {
  const limit = bodyTooLarge(res)
  if (limit !== null) return void res.status(413).json({ ok: false, message: 'errors.payloadTooLarge', limit })
  if (isAppError(e)) {
    const fields = (e.meta?.fields as Record<string, string[]> | undefined) ?? {}
    return void res
      .status(httpStatus[e.code])
      .json({ ok: false, message: e.userMessage ?? 'errors.internal', fieldErrors: fields, meta: e.meta ?? null })
  }
  app.log.error({ err: e, requestId }, 'media request failed')
  res.status(500).json({ ok: false, message: 'errors.internal' })
}

/**
 * Property photos over plain HTTP (multipart in, bytes out), behind the same session, membership and visibility checks
 * as the procedures: there are no public file URLs, every byte is served by the app to a member allowed to see it.
 */
export function mountMedia(server: Express, app: WebApp, storage: FileStorage) {
  server.post('/uploads/properties/:id/photos', async (req, res) => {
    const requestId = res.locals.requestId as string
    try {
      if (!uuid.test(req.params.id!)) return void res.status(404).json({ ok: false, message: 'errors.notFound' })
      const scope = app.scope(toFetchRequest(req, res, { body: false }), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).json({ ok: false, message: 'errors.unauthenticated' })
      const files = await readFiles(req, res)
      const photos = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'records.write' },
        (ctx) => addPropertyPhotos({ ...ctx, storage }, { propertyId: req.params.id!, files }),
      )
      res.status(201).json({ ok: true, photos })
    } catch (e) {
      // Whatever is left of a body within its limit is drained so the connection can answer.
      if (!bodyTooLarge(res)) req.resume()
      sendError(app, res, e, requestId)
    }
  })

  // The agency's logo (issue 18): one image, managers only; the settings page shows the answer.
  server.post('/uploads/agency/logo', async (req, res) => {
    const requestId = res.locals.requestId as string
    try {
      const scope = app.scope(toFetchRequest(req, res, { body: false }), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).json({ ok: false, message: 'errors.unauthenticated' })
      const member = {
        userId: identity.userId,
        agencyId: scope.agencyId,
        ip: scope.ip,
        action: 'agency.settings.update' as const,
      }
      await withAgencyActor(app.db, member, async () => null)
      const [file, extra] = await readFiles(req, res, {
        maxBytes: LOGO_MAX_BYTES,
        field: 'logo',
        none: 'settings.logoOne',
        tooLarge: 'settings.logoTooLarge',
      })
      if (!file || extra)
        return void res
          .status(400)
          .json({ ok: false, message: 'settings.logoOne', fieldErrors: { logo: ['settings.logoOne'] } })
      const agency = await withAgencyActor(app.db, member, (ctx) =>
        setAgencyLogo({ ...ctx, storage }, { bytes: file.bytes }),
      )
      res.status(201).json({ ok: true, logoKey: agency.logoKey })
    } catch (e) {
      if (!bodyTooLarge(res)) req.resume()
      sendError(app, res, e, requestId)
    }
  })

  // Logos are public by design (the shared listing page shows them): served by key shape alone, cached for good.
  server.get('/media/branding/:agencyId/:file', async (req, res) => {
    const key = `${req.params.agencyId}/branding/${req.params.file}`
    if (!LOGO_KEY.test(key)) return void res.status(404).end()
    try {
      const file = await storage.open(key)
      if (!file) return void res.status(404).end()
      res.setHeader('content-type', 'image/png')
      res.setHeader('cache-control', 'public, max-age=31536000, immutable')
      res.setHeader('x-content-type-options', 'nosniff')
      if (file.bytes !== null) res.setHeader('content-length', String(file.bytes))
      await pipeline(file.stream, res).catch(() => {})
    } catch (e) {
      app.log.error({ err: e }, 'logo download failed')
      res.status(500).end()
    }
  })

  // A spreadsheet to import (decision 024): one file, kept in the store; the mapping and the rest go through tRPC.
  server.post('/uploads/imports', async (req, res) => {
    const requestId = res.locals.requestId as string
    try {
      const scope = app.scope(toFetchRequest(req, res, { body: false }), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).json({ ok: false, message: 'errors.unauthenticated' })
      const member = {
        userId: identity.userId,
        agencyId: scope.agencyId,
        ip: scope.ip,
        action: 'records.import' as const,
      }
      // Who may import is settled before 50 MB are read.
      await withAgencyActor(app.db, member, async () => null)
      const fields: Record<string, string> = {}
      const [file, extra] = await readFiles(req, res, {
        fields,
        maxBytes: IMPORT_MAX_BYTES,
        field: 'file',
        none: 'imports.errors.oneFile',
        tooLarge: 'imports.errors.tooLarge',
      })
      if (!file || extra)
        return void res
          .status(400)
          .json({ ok: false, message: 'imports.errors.oneFile', fieldErrors: { file: ['imports.errors.oneFile'] } })
      const kind = ZImportKind.safeParse(fields.kind)
      if (!kind.success)
        return void res
          .status(400)
          .json({ ok: false, message: 'imports.errors.kind', fieldErrors: { kind: ['imports.errors.kind'] } })
      const created = await withAgencyActor(app.db, member, (ctx) =>
        uploadImport({ ...ctx, storage }, { fileName: file.name, bytes: file.bytes, kind: kind.data }),
      )
      res.status(201).json({ ok: true, id: created.id })
    } catch (e) {
      if (!bodyTooLarge(res)) req.resume()
      sendError(app, res, e, requestId)
    }
  })

  server.post('/uploads/whatsapp/:conversationId', async (req, res) => {
    const requestId = res.locals.requestId as string
    try {
      if (!uuid.test(req.params.conversationId!))
        return void res.status(404).json({ ok: false, message: 'errors.notFound' })
      const scope = app.scope(toFetchRequest(req, res, { body: false }), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).json({ ok: false, message: 'errors.unauthenticated' })
      const fields: Record<string, string> = {}
      const [file, extra] = await readFiles(req, res, {
        fields,
        maxBytes: OUTBOUND_MEDIA_MAX_BYTES,
        field: 'file',
        none: 'errors.invalidInput',
        tooLarge: 'whatsapp.errors.fileTooLarge',
      })
      if (!file || extra || !uuid.test(fields.id ?? ''))
        return void res
          .status(400)
          .json({ ok: false, message: 'errors.invalidInput', fieldErrors: { file: ['errors.invalidInput'] } })
      const message = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'records.write' },
        (ctx) =>
          queueWhatsappMedia(
            { ...ctx, storage },
            {
              id: fields.id!,
              conversationId: req.params.conversationId!,
              filename: file.name,
              mimeType: file.type,
              bytes: file.bytes,
              caption: fields.caption,
            },
          ),
      )
      res.status(201).json({ ok: true, id: message.id })
    } catch (e) {
      if (!bodyTooLarge(res)) req.resume()
      sendError(app, res, e, requestId)
    }
  })

  server.get('/media/photos/:id/:variant', async (req, res) => {
    const requestId = res.locals.requestId as string
    const variant = req.params.variant === 'thumb' ? 'thumb' : req.params.variant === 'full' ? 'full' : null
    if (!variant || !uuid.test(req.params.id!)) return void res.status(404).end()
    try {
      const scope = app.scope(toFetchRequest(req, res), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).end()
      const file = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'records.read' },
        (ctx) => readPropertyPhoto({ ...ctx, storage }, { photoId: req.params.id!, variant }),
      )
      // A photo id's bytes never change (edits create new photos), so browsers may keep it; private: never a shared cache.
      res.setHeader('content-type', file.contentType)
      res.setHeader('cache-control', 'private, max-age=86400')
      res.setHeader('x-content-type-options', 'nosniff')
      res.end(Buffer.from(file.bytes))
    } catch (e) {
      if (isAppError(e)) return void res.status(httpStatus[e.code]).end()
      app.log.error({ err: e, requestId }, 'photo download failed')
      res.status(500).end()
    }
  })

  // A person's data as a ZIP (LGPD, decision 038): managers, for a lead or a client and who they are known to be.
  server.get('/privacy/:kind/:id/export.zip', async (req, res) => {
    const requestId = res.locals.requestId as string
    const kind = req.params.kind
    if ((kind !== 'leads' && kind !== 'clients') || !uuid.test(req.params.id!)) return void res.status(404).end()
    try {
      const scope = app.scope(toFetchRequest(req, res), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).end()
      const file = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'privacy.manage' },
        (ctx) =>
          exportPerson(
            { ...ctx, storage },
            kind === 'leads' ? { leadId: req.params.id! } : { clientId: req.params.id! },
          ),
      )
      res.setHeader('content-type', 'application/zip')
      res.setHeader('content-disposition', `attachment; filename="${file.filename}"`)
      res.setHeader('cache-control', 'no-store')
      res.end(Buffer.from(file.bytes))
    } catch (e) {
      if (isAppError(e)) return void res.status(httpStatus[e.code]).end()
      app.log.error({ err: e, requestId }, 'personal data export failed')
      res.status(500).end()
    }
  })

  server.get('/exports/:id/download', async (req, res) => {
    const requestId = res.locals.requestId as string
    if (!uuid.test(req.params.id!)) return void res.status(404).end()
    try {
      const scope = app.scope(toFetchRequest(req, res), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).end()
      const file = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'agency.export' },
        (ctx) => openAgencyExport({ ...ctx, storage }, { id: req.params.id! }),
      )
      // Streamed from the store after the transaction: an export may be gigabytes.
      const stored = await storage.open(file.key)
      if (!stored) return void res.status(410).end()
      res.setHeader('content-type', 'application/zip')
      res.setHeader('content-disposition', `attachment; filename="${file.filename}"`)
      if (stored.bytes !== null) res.setHeader('content-length', String(stored.bytes))
      res.setHeader('cache-control', 'no-store')
      // pipeline, not pipe: a reader who goes away mid-download closes the file (or the store's response) too.
      await pipeline(stored.stream, res).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') app.log.error({ err, requestId }, 'agency export download broke')
      })
    } catch (e) {
      if (isAppError(e)) return void res.status(httpStatus[e.code]).end()
      app.log.error({ err: e, requestId }, 'agency export download failed')
      res.status(500).end()
    }
  })

  server.get('/media/whatsapp/:id', async (req, res) => {
    const requestId = res.locals.requestId as string
    if (!uuid.test(req.params.id!)) return void res.status(404).end()
    try {
      const scope = app.scope(toFetchRequest(req, res), requestId)
      const identity = await scope.identity()
      if (!identity) return void res.status(401).end()
      const file = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'records.read' },
        (ctx) => readWhatsappMedia({ ...ctx, storage }, { messageId: req.params.id! }),
      )
      // Contacts send anything: never let the browser sniff it into something executable.
      const inline = /^(image|audio|video)\//.test(file.contentType)
      res.setHeader('content-type', inline ? file.contentType : 'application/octet-stream')
      res.setHeader(
        'content-disposition',
        `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.filename ?? 'arquivo')}`,
      )
      res.setHeader('cache-control', 'private, max-age=86400')
      res.setHeader('x-content-type-options', 'nosniff')
      res.end(Buffer.from(file.bytes))
    } catch (e) {
      if (isAppError(e)) return void res.status(httpStatus[e.code]).end()
      app.log.error({ err: e, requestId }, 'whatsapp media download failed')
      res.status(500).end()
    }
  })
}
