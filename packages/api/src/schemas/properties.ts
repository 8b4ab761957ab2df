import { propertyPurposes, propertyStatuses, propertyTypes } from '@impera/db/enums'
import { z } from 'zod'
import { addressShape } from './clients'
import {
  optionalText,
  requiredText,
  stringList,
  zCents,
  zOptionalAssignee,
  zQuery,
  zFlag,
  zSmallInt,
  zText,
  zUuid,
} from './common'
import { checkPaging, listPaging, zDateBound } from './lists'

/** Square metres typed as "72,5" or "72.50", or sent as a number. */
const zArea = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v
    const s = v.trim().replace(/\s|m²|m2/gi, '')
    if (s === '') return null
    const n = Number(s.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.'))
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'validation.number' })
      return z.NEVER
    }
    return Math.round(n * 100) / 100
  })
  .pipe(z.number().min(0, 'validation.number').lt(100_000_000, 'validation.number').nullable())
  .nullish()
  .transform((v) => v ?? null)

export const ZPropertyInput = z
  .object({
    /** Empty: the next code of the agency is generated from the type (AP0001, CA0002…). */
    code: zText()
      .trim()
      .toUpperCase()
      .max(20, 'validation.tooLong')
      .regex(/^[A-Z0-9-]*$/, 'properties.codeFormat')
      .nullish()
      .transform((v) => (v ? v : null)),
    title: requiredText(160),
    ...addressShape,
    type: z.enum(propertyTypes, 'validation.required'),
    purpose: z.enum(propertyPurposes, 'validation.required'),
    salePrice: zCents,
    rentPrice: zCents,
    condoFee: zCents,
    propertyTax: zCents,
    builtArea: zArea,
    totalArea: zArea,
    bedrooms: zSmallInt(100),
    suites: zSmallInt(100),
    bathrooms: zSmallInt(100),
    parkingSpaces: zSmallInt(1000),
    features: stringList(40, 60),
    status: z.enum(propertyStatuses).default('available'),
    /** In the agency's portal feed while available (decision 023). */
    publishPortals: z.boolean().default(false),
    description: optionalText(10_000),
    ownerClientId: zOptionalAssignee,
    assignedTo: zOptionalAssignee,
  })
  .refine((v) => v.purpose === 'rent' || v.salePrice !== null, {
    path: ['salePrice'],
    message: 'properties.salePriceRequired',
  })
  .refine((v) => v.purpose === 'sale' || v.rentPrice !== null, {
    path: ['rentPrice'],
    message: 'properties.rentPriceRequired',
  })
  .refine((v) => v.suites === null || v.bedrooms === null || v.suites <= v.bedrooms, {
    path: ['suites'],
    message: 'properties.suitesOverBedrooms',
  })
export type TPropertyInput = z.infer<typeof ZPropertyInput>

export const ZCreatePropertyInput = z.object({ data: ZPropertyInput })
export type TCreatePropertyInput = z.infer<typeof ZCreatePropertyInput>
export const ZUpdatePropertyInput = z.object({ id: zUuid, data: ZPropertyInput })
export type TUpdatePropertyInput = z.infer<typeof ZUpdatePropertyInput>
export const ZPropertyIdInput = z.object({ id: zUuid })
export type TPropertyIdInput = z.infer<typeof ZPropertyIdInput>
export const ZSetPropertyStatusInput = z.object({ id: zUuid, status: z.enum(propertyStatuses) })
export type TSetPropertyStatusInput = z.infer<typeof ZSetPropertyStatusInput>

export const propertySortValues = [
  'createdAt',
  'updatedAt',
  'code',
  'title',
  'type',
  'status',
  'price',
  'bedrooms',
  'area',
  'neighbourhood',
  'city',
  'assignee',
] as const

export const ZListPropertiesInput = z
  .object({
    ...listPaging,
    pageSize: z.coerce.number().int().min(5).max(100).default(24),
    sort: z.enum(propertySortValues).default('createdAt'),
    q: zQuery(120).optional(),
    status: z.array(z.enum(propertyStatuses)).optional(),
    type: z.array(z.enum(propertyTypes)).optional(),
    /** sale: for sale (sale or both), prices compared on the sale price; rent likewise; absent: any. */
    purpose: z.enum(['sale', 'rent']).optional(),
    priceMin: zCents,
    priceMax: zCents,
    minBedrooms: zSmallInt(100),
    neighbourhood: zQuery(100).optional(),
    city: zQuery(100).optional(),
    assignee: z.union([z.enum(['me', 'unassigned']), zUuid]).optional(),
    ownerClientId: zUuid.optional(),
    /** Reserved and untouched past the agency's stale-reservation days: the dashboard's "needs attention" listings. */
    stale: zFlag.optional(),
    createdFrom: zDateBound,
    createdTo: zDateBound,
    updatedFrom: zDateBound,
    updatedTo: zDateBound,
  })
  .superRefine(checkPaging)
  .refine((v) => v.priceMin === null || v.priceMax === null || v.priceMin <= v.priceMax, {
    path: ['priceMax'],
    message: 'validation.budgetRange',
  })
export type TListPropertiesInput = z.infer<typeof ZListPropertiesInput>

export const ZPickPropertiesInput = z.object({ q: zQuery(120).default('') })
export type TPickPropertiesInput = z.infer<typeof ZPickPropertiesInput>
export const ZPhotoIdInput = z.object({ id: zUuid })
export type TPhotoIdInput = z.infer<typeof ZPhotoIdInput>
/** The full new order of a property's photos; the first becomes the cover. */
export const ZReorderPhotosInput = z.object({ propertyId: zUuid, photoIds: z.array(zUuid).min(1).max(100) })
export type TReorderPhotosInput = z.infer<typeof ZReorderPhotosInput>
export const ZSetCoverInput = z.object({ photoId: zUuid })
export type TSetCoverInput = z.infer<typeof ZSetCoverInput>
