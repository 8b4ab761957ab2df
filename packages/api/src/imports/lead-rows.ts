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
} from './values'

/** Reasons a row is refused or a cell dropped, beyond a cell that cannot be read (values.ts). */
export type RowReason =
  | ImportReason
  | 'noContact'
  | 'assigneeUnknown'
  | 'duplicate'
  | 'duplicateInFile'
  | 'budgetInverted'
  | 'convertedWithoutClient'
  | 'consentNotApplied'

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
const LOCATION_MAX = 80

/** Fields whose column may appear more than once (an agency's sheet often has "Telefone", "Celular" and "WhatsApp"). */
export const repeatableLeadFields: readonly LeadImportField[] = ['phones', 'tags', 'locations', 'notes']

function text(raw: string, max: number, warnings: RowReason[]): string | null {
  if (!raw) return null
  if (raw.length > max) {
    warnings.push('tooLong')
    // Cut by code unit, then cleaned: a cut through an emoji leaves half of it, which Postgres refuses.
    return cleanText(raw.slice(0, max))
  }
  return raw
}

function list(items: string[], max: number, warnings: RowReason[]): string[] {
  const unique = [...new Set(items)]
  if (unique.length > LIST_ITEMS || unique.some((i) => i.length > max)) warnings.push('tooLong')
  return unique.slice(0, LIST_ITEMS).map((i) => (i.length > max ? cleanText(i.slice(0, max)) : i))
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
    const keep = <T>(r: { ok: true; value: T } | { ok: false; reason: ImportReason }): T | undefined => {
      if (r.ok) return r.value
      warnings.push(r.reason)
      return undefined
    }
    switch (field) {
      case 'name':
        v.name = text(raw, NAME_MAX, warnings) ?? ''
        break
      case 'phones':
        for (const part of raw.split(/[/;,|]/)) {
          const p = part.trim()
          if (!p) continue
          const e164 = normalizePhone(p, env.country)
          if (e164) {
            if (!phones.includes(e164)) phones.push(e164)
          } else warnings.push('phoneUnreadable')
        }
        break
      case 'email':
        v.email = keep(readEmail(raw)) ?? null
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
        v.status = keep(readStatus(raw)) ?? undefined
        break
      case 'interest':
        v.interest = keep(readInterest(raw)) ?? null
        break
      case 'budgetMin':
        v.budgetMin = keep(readMoney(raw)) ?? null
        break
      case 'budgetMax':
        v.budgetMax = keep(readMoney(raw)) ?? null
        break
      case 'propertyTypes':
        v.propertyTypes = keep(readPropertyTypes(raw)) ?? []
        break
      case 'locations':
        locations.push(...readList(raw))
        break
      case 'minBedrooms':
        v.minBedrooms = keep(readInteger(raw, 0, 20)) ?? null
        break
      case 'notes':
        notes.push(raw)
        break
      case 'tags':
        tags.push(...readList(raw))
        break
      case 'assignee': {
        const id = env.members.get(raw.toLowerCase()) ?? env.members.get(headerKey(raw))
        if (id) v.assignedTo = id
        else warnings.push('assigneeUnknown')
        break
      }
      case 'marketingConsent':
        consent = keep(readYesNo(raw)) ?? consent
        break
      case 'createdAt': {
        let at = keep(readDate(raw, env.timeZone))
        // A lead cannot have been created in the future (a typo in the year): the date is dropped, the lead kept.
        if (at && at.getTime() > Date.now()) {
          warnings.push('dateOutOfRange')
          at = null
        }
        if (at) {
          v.createdAt = at
          v.updatedAt = at
          v.statusChangedAt = at
        }
        break
      }
    }
  }
  if (phones.length) v.phones = phones.slice(0, 10)
  if (tags.length) v.tags = list(tags, TAG_MAX, warnings)
  if (locations.length) v.locations = list(locations, LOCATION_MAX, warnings)
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
