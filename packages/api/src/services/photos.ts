import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray, propertyPhotos, sql, type DbOrTx } from '@impera/db'
import sharp from 'sharp'
import { AppError, notFound } from '../errors'
import type { FileStorage } from '../storage'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'
import { getEditableProperty, getVisibleProperty, scheduleFileDeletion } from './properties'

export const PHOTO_MAX_BYTES = 15 * 1024 * 1024
export const PHOTOS_PER_PROPERTY = 60
/** Formats we decode; the declared content type is not trusted, the bytes are. */
const acceptedFormats = new Set(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'])

export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

function photoError(message: string, file: string, meta: Record<string, unknown> = {}) {
  return new AppError('INVALID_INPUT', `${message}: ${file}`, {
    userMessage: message,
    meta: { fields: { photos: [message] }, file, ...meta },
  })
}

/**
 * Checks every file first (size, real image format, pixel bomb), so one bad file rejects the upload with a message
 * naming it and nothing half-done; then stores a display version (≤ 1600 px) and a thumbnail (480×360, cropped), both
 * WebP, auto-rotated and without EXIF (phone photos carry the GPS position of the agent's visit).
 */
export async function addPropertyPhotos({
  db,
  actor,
  storage,
  propertyId,
  files,
}: {
  db: DbOrTx
  actor: AgencyActor
  storage: FileStorage
  propertyId: string
  files: UploadedFile[]
}) {
  await getEditableProperty(db, actor, propertyId)
  if (!files.length) throw photoError('properties.photoNone', '')
  const [{ n }] = (await db
    .select({ n: count() })
    .from(propertyPhotos)
    .where(and(eq(propertyPhotos.agencyId, actor.agencyId), eq(propertyPhotos.propertyId, propertyId)))) as [
    { n: number },
  ]
  if (n + files.length > PHOTOS_PER_PROPERTY)
    throw photoError('properties.photoLimit', '', { limit: PHOTOS_PER_PROPERTY })
  for (const file of files) {
    if (file.bytes.byteLength > PHOTO_MAX_BYTES)
      throw photoError('properties.photoTooLarge', file.name, { maxBytes: PHOTO_MAX_BYTES })
    const meta = await sharp(file.bytes, { limitInputPixels: 100_000_000 })
      .metadata()
      .catch(() => null)
    if (!meta?.format || !acceptedFormats.has(meta.format) || !meta.width || !meta.height)
      throw photoError('properties.photoType', file.name)
  }
  const written: string[] = []
  const rows = []
  try {
    for (const [i, file] of files.entries()) {
      const id = randomUUID()
      const base = `${actor.agencyId}/properties/${propertyId}/${id}`
      const display = await sharp(file.bytes, { limitInputPixels: 100_000_000 })
        .rotate()
        .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer({ resolveWithObject: true })
      const thumb = await sharp(file.bytes, { limitInputPixels: 100_000_000 })
        .rotate()
        .resize({ width: 480, height: 360, fit: 'cover' })
        .webp({ quality: 75 })
        .toBuffer()
      await storage.put(`${base}.webp`, display.data, 'image/webp')
      written.push(`${base}.webp`)
      await storage.put(`${base}_thumb.webp`, thumb, 'image/webp')
      written.push(`${base}_thumb.webp`)
      rows.push({
        id,
        agencyId: actor.agencyId,
        propertyId,
        storageKey: `${base}.webp`,
        thumbKey: `${base}_thumb.webp`,
        originalName: file.name.slice(0, 200) || null,
        width: display.info.width,
        height: display.info.height,
        bytes: display.info.size,
        position: n + i,
        createdBy: actor.userId,
      })
    }
  } catch (e) {
    await storage.delete(written).catch(() => {})
    throw e
  }
  const inserted = await db.insert(propertyPhotos).values(rows).returning({ id: propertyPhotos.id })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.photos.add',
    entity: 'property',
    entityId: propertyId,
    after: { photos: inserted.map((r) => r.id) },
    ip: actor.ip,
  })
  return inserted
}

async function getPhoto(db: DbOrTx, actor: AgencyActor, photoId: string) {
  const [photo] = await db
    .select()
    .from(propertyPhotos)
    .where(and(eq(propertyPhotos.agencyId, actor.agencyId), eq(propertyPhotos.id, photoId)))
  if (!photo) throw notFound('photo')
  return photo
}

async function photoIds(db: DbOrTx, actor: AgencyActor, propertyId: string) {
  const rows = await db
    .select({ id: propertyPhotos.id })
    .from(propertyPhotos)
    .where(and(eq(propertyPhotos.agencyId, actor.agencyId), eq(propertyPhotos.propertyId, propertyId)))
    .orderBy(asc(propertyPhotos.position))
  return rows.map((r) => r.id)
}

async function writeOrder(db: DbOrTx, actor: AgencyActor, ids: string[]) {
  if (!ids.length) return
  await db
    .update(propertyPhotos)
    .set({
      position: sql`array_position(${sql`array[${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}]`}, ${propertyPhotos.id}) - 1`,
    })
    .where(and(eq(propertyPhotos.agencyId, actor.agencyId), inArray(propertyPhotos.id, ids)))
}

/** The new order must name exactly the property's photos: a stale page cannot drop or duplicate one. */
export async function reorderPropertyPhotos({
  db,
  actor,
  propertyId,
  photoIds: order,
}: {
  db: DbOrTx
  actor: AgencyActor
  propertyId: string
  photoIds: string[]
}) {
  await getEditableProperty(db, actor, propertyId)
  const current = await photoIds(db, actor, propertyId)
  if (
    order.length !== current.length ||
    new Set(order).size !== order.length ||
    order.some((id) => !current.includes(id))
  ) {
    throw new AppError('CONFLICT', 'photo order out of date', { userMessage: 'properties.photoOrderStale' })
  }
  await writeOrder(db, actor, order)
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.photos.reorder',
    entity: 'property',
    entityId: propertyId,
    before: { order: current },
    after: { order },
    ip: actor.ip,
  })
  return { ok: true as const }
}

/** The cover is the first photo: making one the cover moves it to the front and keeps the others' order. */
export async function setCoverPhoto({ db, actor, photoId }: { db: DbOrTx; actor: AgencyActor; photoId: string }) {
  const photo = await getPhoto(db, actor, photoId)
  await getEditableProperty(db, actor, photo.propertyId)
  const current = await photoIds(db, actor, photo.propertyId)
  await writeOrder(db, actor, [photoId, ...current.filter((id) => id !== photoId)])
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.photos.cover',
    entity: 'property',
    entityId: photo.propertyId,
    after: { cover: photoId },
    ip: actor.ip,
  })
  return { ok: true as const }
}

export async function deletePropertyPhoto({ db, actor, photoId }: { db: DbOrTx; actor: AgencyActor; photoId: string }) {
  const photo = await getPhoto(db, actor, photoId)
  await getEditableProperty(db, actor, photo.propertyId)
  await db
    .delete(propertyPhotos)
    .where(and(eq(propertyPhotos.agencyId, actor.agencyId), eq(propertyPhotos.id, photoId)))
  await writeOrder(db, actor, await photoIds(db, actor, photo.propertyId))
  await scheduleFileDeletion(db, [photo.storageKey, photo.thumbKey])
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.photos.delete',
    entity: 'property',
    entityId: photo.propertyId,
    before: { photo: photoId, name: photo.originalName },
    ip: actor.ip,
  })
  return { ok: true as const }
}

/** For the media route: the file of a photo the actor may see (same visibility as its property), or NOT_FOUND. */
export async function readPropertyPhoto({
  db,
  actor,
  storage,
  photoId,
  variant,
}: {
  db: DbOrTx
  actor: AgencyActor
  storage: FileStorage
  photoId: string
  variant: 'full' | 'thumb'
}) {
  const photo = await getPhoto(db, actor, photoId)
  await getVisibleProperty(db, actor, photo.propertyId)
  const file = await storage.get(variant === 'thumb' ? photo.thumbKey : photo.storageKey)
  if (!file) throw notFound('photo file')
  return file
}
