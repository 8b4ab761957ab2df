import type { leads } from '@impera/db'
import { normalizePhone } from '../phones'
import { cleanText } from '../schemas/common'
import {
  headerKey,
  readDate,
  readEmail,
  readInteger,
  readInterest,
  readList,
  readMoney,
  readPropertyTypes,
  readSource,
  readStatus,
  readYesNo,
  type ImportReason,
  type LeadImportField,
  type Read,
} from './values'

/**
 * Reasons a row is refused, a cell dropped or a value filled in for the sheet, beyond a cell that cannot be read
 * (values.ts).
 */
export type RowReason =
  | ImportReason
  | 'noContact'
  | 'assigneeUnknown'
  | 'duplicate'
  | 'duplicateInFile'
  | 'budgetInverted'
  | 'convertedWithoutClient'
  | 'consentNotApplied'
  | 'tooManyPhones'
  | 'codeUnreadable'
  | 'propertyTypeMissing'
  | 'purposeMissing'
  | 'priceMissing'
  | 'suitesOverBedrooms'
  | 'publishUnreadable'
  | 'titleComposed'
  | 'ownerUnreadable'

export type NewLeadValues = Omit<typeof leads.$inferInsert, 'agencyId' | 'id'>

/** What the reader of a row needs to know about the agency. */
export interface LeadRowEnv {
  country: string
  timeZone: string
  /** Active members by lower-cased e-mail and by `headerKey(name)`. */
  members: Map<string, string>
}

/** A row read: the lead's values and, from a consent column, what the person said about marketing (null: nothing). */
export type ReadLeadRow =
  | { ok: true; values: NewLeadValues; consent: boolean | null; warnings: RowReason[] }
  | { ok: false; reasons: RowReason[] }

/** The lead form's own limits (ZLeadInput), so an imported lead is one the form could have saved. */
const NAME_MAX = 120
const DETAIL_MAX = 200
const NOTES_MAX = 5000
const LIST_ITEMS = 20
const TAG_MAX = 40
const PHONES_MAX = 10
const LOCATION_MAX = 80

/** Fields whose column may appear more than once (an agency's sheet often has "Telefone", "Celular" and "WhatsApp"). */
export const repeatableLeadFields: readonly LeadImportField[] = ['phones', 'tags', 'locations', 'notes']

// ---------------------------------------------------------------------------------------------------------------
// What the row readers of every kind (leads, clients, properties) share.

/** The cell, cut to `max` characters with a warning when longer; null when empty. */
export function text(raw: string, max: number, warnings: RowReason[]): string | null {
  if (!raw) return null
  if (raw.length > max) {
    warnings.push('tooLong')
    // Cut by code unit, then cleaned: a cut through an emoji leaves half of it, which Postgres refuses.
    return cleanText(raw.slice(0, max))
  }
  return raw
}

/** Items without repeats, at most `maxItems` of at most `max` characters each; a warning when any is cut or dropped. */
export function list(items: string[], maxItems: number, max: number, warnings: RowReason[]): string[] {
  const unique = [...new Set(items)]
  if (unique.length > maxItems || unique.some((i) => i.length > max)) warnings.push('tooLong')
  return unique.slice(0, maxItems).map((i) => (i.length > max ? cleanText(i.slice(0, max)) : i))
}

/** A reader's value, or undefined with the reason it gave among the warnings. */
export function keep<T>(r: Read<T>, warnings: RowReason[]): T | undefined {
  if (r.ok) return r.value
  warnings.push(r.reason)
  return undefined
}

/**
 * The phones of a cell ("(11) 99999-0000 / 3333-0000") added to `phones` in E.164, without repeats; each part that is
 * no phone is a warning.
 */
export function addPhones(raw: string, country: string, phones: string[], warnings: RowReason[]): void {
  for (const part of raw.split(/[/;,|]/)) {
    const p = part.trim()
    if (!p) continue
    const e164 = normalizePhone(p, country)
    if (e164) {
      if (!phones.includes(e164)) phones.push(e164)
    } else warnings.push('phoneUnreadable')
  }
}

/** The active member a cell names by e-mail or by name; undefined, with a warning, when none does. */
export function memberNamed(raw: string, env: LeadRowEnv, warnings: RowReason[]): string | undefined {
  const id = env.members.get(raw.toLowerCase()) ?? env.members.get(headerKey(raw))
  if (!id) warnings.push('assigneeUnknown')
  return id
}

/** When a record was created: null for an empty cell, and for a date in the future (a typo in the year), with a warning. */
export function createdDate(raw: string, timeZone: string, warnings: RowReason[]): Date | null {
  const at = keep(readDate(raw, timeZone), warnings) ?? null
  if (at && at.getTime() > Date.now()) {
    warnings.push('dateOutOfRange')
    return null
  }
  return at
}

/**
 * Reads one data row into a new lead's values under a column mapping. A cell that cannot be read is dropped with a
 * warning rather than losing the person (a "Valor" of "a combinar" must not cost the agency the contact); the row is
 * refused only when nothing identifies the person: no name, no readable phone, no readable e-mail.
 */
export function readLeadRow(cells: string[], mapping: (string | null)[], env: LeadRowEnv): ReadLeadRow {
  const warnings: RowReason[] = []
  const phones: string[] = []
  const tags: string[] = []
  const locations: string[] = []
  const notes: string[] = []
  const v: NewLeadValues = { name: '' }
  let statusRaw: string | null = null
  let consent: boolean | null = null
  for (let i = 0; i < mapping.length; i++) {
    const field = mapping[i] as LeadImportField | null
    const raw = cells[i] ?? ''
    if (!field || !raw) continue
    switch (field) {
      case 'name':
        v.name = text(raw, NAME_MAX, warnings) ?? ''
        break
      case 'phones':
        addPhones(raw, env.country, phones, warnings)
        break
      case 'email':
        v.email = keep(readEmail(raw), warnings) ?? null
        break
      case 'source': {
        const r = readSource(raw)
        if (r.ok) v.source = r.value ?? undefined
        else {
          // An origin we do not know ("Feirão de março") is kept as the source's detail, the source being 'other'.
          warnings.push(r.reason)
          v.source = 'other'
          v.sourceDetail ??= text(raw, DETAIL_MAX, warnings)
        }
        break
      }
      case 'sourceDetail':
        v.sourceDetail = text(raw, DETAIL_MAX, warnings)
        break
      case 'status':
        statusRaw = raw
        v.status = keep(readStatus(raw), warnings) ?? undefined
        break
      case 'interest':
        v.interest = keep(readInterest(raw), warnings) ?? null
        break
      case 'budgetMin':
        v.budgetMin = keep(readMoney(raw), warnings) ?? null
        break
      case 'budgetMax':
        v.budgetMax = keep(readMoney(raw), warnings) ?? null
        break
      case 'propertyTypes':
        v.propertyTypes = keep(readPropertyTypes(raw), warnings) ?? []
        break
      case 'locations':
        locations.push(...readList(raw))
        break
      case 'minBedrooms':
        v.minBedrooms = keep(readInteger(raw, 0, 20), warnings) ?? null
        break
      case 'notes':
        notes.push(raw)
        break
      case 'tags':
        tags.push(...readList(raw))
        break
      case 'assignee':
        v.assignedTo = memberNamed(raw, env, warnings) ?? v.assignedTo
        break
      case 'marketingConsent':
        consent = keep(readYesNo(raw), warnings) ?? consent
        break
      case 'createdAt': {
        const at = createdDate(raw, env.timeZone, warnings)
        if (at) {
          v.createdAt = at
          v.updatedAt = at
          v.statusChangedAt = at
        }
        break
      }
    }
  }
  if (phones.length) v.phones = phones.slice(0, PHONES_MAX)
  if (tags.length) v.tags = list(tags, LIST_ITEMS, TAG_MAX, warnings)
  if (locations.length) v.locations = list(locations, LIST_ITEMS, LOCATION_MAX, warnings)
  if (notes.length) v.notes = text(notes.join('\n'), NOTES_MAX, warnings)
  if (v.budgetMin != null && v.budgetMax != null && v.budgetMin > v.budgetMax) {
    warnings.push('budgetInverted')
    ;[v.budgetMin, v.budgetMax] = [v.budgetMax, v.budgetMin]
  }
  // Converted means "became this client": a sheet names no client record, so the lead comes in qualified.
  if (v.status === 'converted') {
    warnings.push('convertedWithoutClient')
    v.status = 'qualified'
  }
  // A lost lead needs a reason (the lead form asks for one); the sheet's own word for it is kept as the detail.
  if (v.status === 'lost') {
    v.lostReason = 'other'
    v.lostDetail = statusRaw
  }
  if (!v.name) v.name = phones[0] ?? v.email ?? ''
  if (!v.name) return { ok: false, reasons: [...new Set<RowReason>([...warnings, 'noContact'])] }
  return { ok: true, values: v, consent, warnings: [...new Set(warnings)] }
}

/** The keys a person is found by among the agency's leads and the file's earlier rows: phones and e-mail. */
export function contactKeys(v: NewLeadValues): string[] {
  return [...(v.phones ?? []), ...(v.email ? [`mailto:${v.email}`] : [])]
}
