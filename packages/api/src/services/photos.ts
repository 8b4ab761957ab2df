import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray, propertyPhotos, sql } from '@impera/db'
import sharp from 'sharp'
import { byId, inAgency, type AgencyCtx, type WithStorage } from '../ctx'
import { AppError, notFound } from '../errors'
import type { TPhotoIdInput, TReorderPhotosInput, TSetCoverInput } from '../schemas'
import { audit } from './audit'
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
export async function addPropertyPhotos(
  ctx: AgencyCtx & WithStorage,
  { propertyId, files }: { propertyId: string; files: UploadedFile[] },
) {
  const { db, actor, storage } = ctx
  await getEditableProperty(ctx, propertyId)
  if (!files.length) throw photoError('properties.photoNone', '')
  const [{ n }] = (await db
    .select({ n: count() })
    .from(propertyPhotos)
    .where(and(inAgency(propertyPhotos, ctx), eq(propertyPhotos.propertyId, propertyId)))) as [{ n: number }]
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
  await audit(ctx, 'property.photos.add', {
    entity: 'property',
    entityId: propertyId,
    after: { photos: inserted.map((r) => r.id) },
  })
  return inserted
}

async function getPhoto(ctx: AgencyCtx, photoId: string) {
  const [photo] = await ctx.db
    .select()
    .from(propertyPhotos)
    .where(byId(propertyPhotos, ctx, photoId))
  if (!photo) throw notFound('photo')
  return photo
}

async function photoIds(ctx: AgencyCtx, propertyId: string) {
  const rows = await ctx.db
    .select({ id: propertyPhotos.id })
    .from(propertyPhotos)
    .where(and(inAgency(propertyPhotos, ctx), eq(propertyPhotos.propertyId, propertyId)))
    .orderBy(asc(propertyPhotos.position))
  return rows.map((r) => r.id)
}

async function writeOrder(ctx: AgencyCtx, ids: string[]) {
  if (!ids.length) return
  await ctx.db
    .update(propertyPhotos)
    .set({
      position: sql`array_position(${sql`array[${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}]`}, ${propertyPhotos.id}) - 1`,
    })
    .where(and(inAgency(propertyPhotos, ctx), inArray(propertyPhotos.id, ids)))
}

/** The new order must name exactly the property's photos: a stale page cannot drop or duplicate one. */
export async function reorderPropertyPhotos(ctx: AgencyCtx, { propertyId, photoIds: order }: TReorderPhotosInput) {
  await getEditableProperty(ctx, propertyId)
  const current = await photoIds(ctx, propertyId)
  if (
    order.length !== current.length ||
    new Set(order).size !== order.length ||
    order.some((id) => !current.includes(id))
  ) {
    throw new AppError('CONFLICT', 'photo order out of date', { userMessage: 'properties.photoOrderStale' })
  }
  await writeOrder(ctx, order)
  await audit(ctx, 'property.photos.reorder', {
    entity: 'property',
    entityId: propertyId,
    before: { order: current },
    after: { order },
  })
  return { ok: true as const }
}

/** The cover is the first photo: making one the cover moves it to the front and keeps the others' order. */
export async function setCoverPhoto(ctx: AgencyCtx, { photoId }: TSetCoverInput) {
  const photo = await getPhoto(ctx, photoId)
  await getEditableProperty(ctx, photo.propertyId)
  const current = await photoIds(ctx, photo.propertyId)
  await writeOrder(ctx, [photoId, ...current.filter((id) => id !== photoId)])
  await audit(ctx, 'property.photos.cover', {
    entity: 'property',
    entityId: photo.propertyId,
    after: { cover: photoId },
  })
  return { ok: true as const }
}

export async function deletePropertyPhoto(ctx: AgencyCtx, { id: photoId }: TPhotoIdInput) {
  const photo = await getPhoto(ctx, photoId)
  await getEditableProperty(ctx, photo.propertyId)
  await ctx.db.delete(propertyPhotos).where(byId(propertyPhotos, ctx, photoId))
  await writeOrder(ctx, await photoIds(ctx, photo.propertyId))
  await scheduleFileDeletion(ctx.db, [photo.storageKey, photo.thumbKey])
  await audit(ctx, 'property.photos.delete', {
    entity: 'property',
    entityId: photo.propertyId,
    before: { photo: photoId, name: photo.originalName },
  })
  return { ok: true as const }
}

/** For the media route: the file of a photo the actor may see (same visibility as its property), or NOT_FOUND. */
export async function readPropertyPhoto(
  ctx: AgencyCtx & WithStorage,
  { photoId, variant }: { photoId: string; variant: 'full' | 'thumb' },
) {
  const photo = await getPhoto(ctx, photoId)
  await getVisibleProperty(ctx, photo.propertyId)
  const file = await ctx.storage.get(variant === 'thumb' ? photo.thumbKey : photo.storageKey)
  if (!file) throw notFound('photo file')
  return file
}
