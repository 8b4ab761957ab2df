import type { clients } from '@impera/db'
import { parseDocument } from '../documents'
import { addPhones, createdDate, keep, list, memberNamed, text, type LeadRowEnv, type RowReason } from './lead-rows'
import { filled, leadFieldAliases, readCep, readClientTypes, readDate, readEmail, readList, readYesNo } from './values'

export type ClientImportField =
  | 'name'
  | 'phones'
  | 'email'
  | 'document'
  | 'types'
  | 'street'
  | 'number'
  | 'complement'
  | 'neighbourhood'
  | 'city'
  | 'state'
  | 'postalCode'
  | 'birthDate'
  | 'notes'
  | 'tags'
  | 'assignee'
  | 'createdAt'
  | 'marketingConsent'

export type AddressField = 'street' | 'number' | 'complement' | 'neighbourhood' | 'city' | 'state' | 'postalCode'

/**
 * Column names for a postal address (clients and properties): pt-BR and English, CRM exports, and the agency export's
 * snake_case headers ("postal_code" reads as "postal code").
 */
export const addressAliases: Record<AddressField, readonly string[]> = {
  street: ['Rua', 'Logradouro', 'Endereço', 'Street', 'Address', 'Street address', 'Address line 1'],
  // "Nº" reads as "n" (headerKey keeps letters and digits only).
  number: ['Número', 'Nº', 'Num', 'Número do endereço', 'Number', 'Street number', 'House number'],
  complement: ['Complemento', 'Compl', 'Complement', 'Address line 2'],
  neighbourhood: ['Bairro', 'Neighbourhood', 'Neighborhood', 'District'],
  city: ['Cidade', 'Município', 'Localidade', 'City', 'Town'],
  state: ['Estado', 'UF', 'State', 'Province'],
  postalCode: ['CEP', 'Código postal', 'Postal code', 'ZIP', 'ZIP code', 'Postcode'],
}

/**
 * Column names for each client field as agencies type them and CRMs export them (Jetimob, Kenlo/Ingaia, Vista,
 * Imobzi), in pt-BR and English, and the headers of Impera's own exports: the clients list's CSV in both locales and the
 * agency export's clientes.csv (decision 041), so an export imports back. Those exports' id, country and
 * updated/deleted/anonymised columns map to nothing: the import makes new records.
 */
export const clientFieldAliases: Record<ClientImportField, readonly string[]> = {
  name: [...leadFieldAliases.name, 'Nome do contato', 'Razão social', 'Client', 'Client name', 'Contact name'],
  // "Número de telefone" would otherwise start like the address's "Número".
  phones: [
    ...leadFieldAliases.phones,
    'Número de telefone',
    'Número do telefone',
    'Número de celular',
    'Número do celular',
    'Phone number',
    'Mobile number',
  ],
  email: [...leadFieldAliases.email, 'E-mail address'],
  document: [
    'CPF',
    'CNPJ',
    'CPF/CNPJ',
    'CNPJ/CPF',
    'CPF ou CNPJ',
    'Documento',
    'Número do documento',
    'Nº do documento',
    'Document',
    'Document number',
    'Tax ID',
  ],
  types: [
    'Tipo',
    'Tipos',
    'Tipo de cliente',
    'Perfil',
    'Perfil do cliente',
    'Categoria',
    'Types',
    'Type',
    'Client type',
  ],
  ...addressAliases,
  // "Data nasc." would otherwise start like the creation date's "Data".
  birthDate: [
    'Data de nascimento',
    'Data nascimento',
    'Data nasc',
    'Nascimento',
    'Dt nascimento',
    'Dt nasc',
    'Aniversário',
    'Data de aniversário',
    'Birth date',
    'Birthdate',
    'Date of birth',
    'Birthday',
  ],
  notes: leadFieldAliases.notes,
  tags: leadFieldAliases.tags,
  assignee: leadFieldAliases.assignee,
  createdAt: [...leadFieldAliases.createdAt, 'Cadastro', 'Data do cadastro', 'Cliente desde'],
  marketingConsent: leadFieldAliases.marketingConsent,
}

/** Fields whose column may appear more than once ("Telefone", "Celular", "WhatsApp"). */
export const repeatableClientFields: readonly ClientImportField[] = ['phones', 'tags', 'notes']

export type NewClientValues = Omit<typeof clients.$inferInsert, 'agencyId' | 'id'>

/** A row read: the client's values and, from a consent column, what the person said about marketing (null: nothing). */
export type ReadClientRow =
  | { ok: true; values: NewClientValues; consent: boolean | null; warnings: RowReason[] }
  | { ok: false; reasons: RowReason[] }

/** The client form's own limits (ZClientInput and its addressShape), so an imported client is one it could have saved. */
export const CLIENT_NAME_MAX = 160
const PHONES_MAX = 5
const NOTES_MAX = 5000
const TAGS_MAX = 20
const TAG_MAX = 40
const ADDRESS_MAX: Record<Exclude<AddressField, 'postalCode'>, number> = {
  street: 200,
  number: 20,
  complement: 100,
  neighbourhood: 100,
  city: 100,
  state: 60,
}

/** An address cell (clients and properties): the CEP read as 'NNNNN-NNN', the rest cut to the form's limits. */
export function readAddressCell(field: AddressField, raw: string, warnings: RowReason[]): string | null {
  return field === 'postalCode' ? (keep(readCep(raw), warnings) ?? null) : text(raw, ADDRESS_MAX[field], warnings)
}

// A CPF or CNPJ that Excel read as a number, its leading zeros gone.
const SHORT_DOCUMENT = /^\d{9,13}$/

/**
 * A CPF or CNPJ as its digits, with or without punctuation, or as a number cell that lost its leading zeros (the check
 * digits still decide). One whose check digits fail is dropped with a warning.
 */
export function readDocument(raw: string, warnings: RowReason[]): string | null {
  const parsed =
    parseDocument(raw) ??
    (SHORT_DOCUMENT.test(raw) ? parseDocument(raw.padStart(raw.length > 11 ? 14 : 11, '0')) : null)
  if (!parsed) warnings.push('documentUnreadable')
  return parsed?.digits ?? null
}

/** The first phones a person may keep (the form takes five); the rest dropped with a warning. */
export function clientPhones(phones: string[], warnings: RowReason[]): string[] {
  if (phones.length > PHONES_MAX) warnings.push('tooManyPhones')
  return phones.slice(0, PHONES_MAX)
}

// Per zone: an Intl formatter costs far more to make than to use, and a file has up to 100,000 birth dates.
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar day of an instant in a zone, as 'YYYY-MM-DD'. */
function localDay(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}`
}

/**
 * A birth date as the calendar day the cell names in the agency's zone. Before 1900 or after today → dateOutOfRange,
 * judged as the form judges it (the day's UTC midnight against now), so the form could save what the import keeps.
 */
function birthDay(raw: string, timeZone: string, warnings: RowReason[]): string | null {
  const at = keep(readDate(raw, timeZone), warnings)
  if (!at) return null
  const day = localDay(at, timeZone)
  if (day < '1900-01-01' || Date.parse(day) > Date.now()) {
    warnings.push('dateOutOfRange')
    return null
  }
  return day
}

/**
 * Reads one data row into a new client's values under a column mapping, as readLeadRow does for leads: a cell that
 * cannot be read is dropped with a warning; the row is refused only when nothing identifies the person (no name, no
 * readable phone, no readable e-mail). The name falls back to the first phone, then the e-mail. Placeholder cells ("-",
 * "N/A") are empty, so no address reads "N/A".
 */
export function readClientRow(cells: string[], mapping: (string | null)[], env: LeadRowEnv): ReadClientRow {
  const warnings: RowReason[] = []
  const phones: string[] = []
  const tags: string[] = []
  const notes: string[] = []
  const v: NewClientValues = { name: '' }
  let consent: boolean | null = null
  for (let i = 0; i < mapping.length; i++) {
    const field = mapping[i] as ClientImportField | null
    const raw = filled(cells[i] ?? '')
    if (!field || !raw) continue
    switch (field) {
      case 'name':
        v.name = text(raw, CLIENT_NAME_MAX, warnings) ?? ''
        break
      case 'phones':
        addPhones(raw, env.country, phones, warnings)
        break
      case 'email':
        v.email = keep(readEmail(raw), warnings) ?? null
        break
      case 'document':
        v.document = readDocument(raw, warnings)
        break
      case 'types':
        v.types = keep(readClientTypes(raw), warnings) ?? []
        break
      case 'street':
      case 'number':
      case 'complement':
      case 'neighbourhood':
      case 'city':
      case 'state':
      case 'postalCode':
        v[field] = readAddressCell(field, raw, warnings)
        break
      case 'birthDate':
        v.birthDate = birthDay(raw, env.timeZone, warnings)
        break
      case 'notes':
        notes.push(raw)
        break
      case 'tags':
        tags.push(raw)
        break
      case 'assignee':
        v.assignedTo = memberNamed(raw, env, warnings) ?? v.assignedTo
        break
      case 'createdAt': {
        const at = createdDate(raw, env.timeZone, warnings)
        if (at) {
          v.createdAt = at
          v.updatedAt = at
        }
        break
      }
      case 'marketingConsent':
        consent = keep(readYesNo(raw), warnings) ?? consent
        break
    }
  }
  if (phones.length) v.phones = clientPhones(phones, warnings)
  // One list of all the columns' items, so a repeat across them drops case-blind as within one (readList).
  if (tags.length) v.tags = list(readList(tags.join('\n')), TAGS_MAX, TAG_MAX, warnings)
  if (notes.length) v.notes = text(notes.join('\n'), NOTES_MAX, warnings)
  if (!v.name) v.name = phones[0] ?? v.email ?? ''
  if (!v.name) return { ok: false, reasons: [...new Set<RowReason>([...warnings, 'noContact'])] }
  return { ok: true, values: v, consent, warnings: [...new Set(warnings)] }
}

/**
 * The keys a person is found by among the agency's clients and the file's earlier rows: phones, e-mail (lower-cased)
 * and CPF/CNPJ digits.
 */
export function clientKeys(v: NewClientValues): string[] {
  return [
    ...(v.phones ?? []),
    ...(v.email ? [`mailto:${v.email.toLowerCase()}`] : []),
    ...(v.document ? [`doc:${v.document}`] : []),
  ]
}
