import type { properties } from '@impera/db'
import type { PropertyType } from '@impera/db/enums'
import {
  addressAliases,
  clientKeys,
  clientPhones,
  CLIENT_NAME_MAX,
  readAddressCell,
  readDocument,
  type NewClientValues,
} from './client-rows'
import { addPhones, createdDate, keep, list, memberNamed, text, type LeadRowEnv, type RowReason } from './lead-rows'
import {
  filled,
  readArea,
  readEmail,
  readInteger,
  readList,
  readMoney,
  readPropertyStatus,
  readPropertyTypes,
  readPurpose,
  readYesNo,
} from './values'

export type PropertyImportField =
  | 'code'
  | 'title'
  | 'type'
  | 'purpose'
  | 'propertyStatus'
  | 'salePrice'
  | 'rentPrice'
  | 'condoFee'
  | 'propertyTax'
  | 'builtArea'
  | 'totalArea'
  | 'bedrooms'
  | 'suites'
  | 'bathrooms'
  | 'parkingSpaces'
  | 'features'
  | 'street'
  | 'number'
  | 'complement'
  | 'neighbourhood'
  | 'city'
  | 'state'
  | 'postalCode'
  | 'description'
  | 'publishPortals'
  | 'assignee'
  | 'createdAt'
  | 'ownerName'
  | 'ownerPhones'
  | 'ownerEmail'
  | 'ownerDocument'

/** "Número de quartos", "Nº de quartos", "Nº quartos": named here, or they would start like the address's "Número"/"Nº". */
const counted = (...words: string[]) => words.flatMap((w) => [`Número de ${w}`, `Nº de ${w}`, `Nº ${w}`])

/** "Telefone do proprietário", "Proprietário - telefone", "Owner phone"…: each way a sheet names an owner's detail. */
const ownerDetail = (pt: string[], en: string[]) => [
  ...pt.flatMap((w) => [`${w} do proprietário`, `${w} da proprietária`, `${w} proprietário`, `Proprietário ${w}`]),
  ...en.flatMap((w) => [`Owner ${w}`, `Owner's ${w}`]),
]

/**
 * Column names for each property field as agencies type them and CRMs export them (Jetimob, Kenlo/Ingaia, Vista,
 * Imobzi, the portals' spreadsheets), in pt-BR and English, and the headers of Impera's own exports: the properties
 * list's CSV in both locales and the agency export's imoveis.csv (decision 041), so an export imports back. Those
 * exports' id, country, owner_client_id and updated/deleted columns map to nothing: the import makes new records, and
 * a client id is no owner's name — which is why no alias is a bare "Owner" ("owner client id" would start with it).
 * guessMapping tries exact headers, then headers starting with an alias, then containing one, the longest alias first:
 * a header that starts with a shorter field's alias ("Valor do IPTU" and "Valor") needs its own alias here.
 */
export const propertyFieldAliases: Record<PropertyImportField, readonly string[]> = {
  code: [
    'Código',
    'Código do imóvel',
    'Código de referência',
    'Cód',
    'Cód imóvel',
    'Cód referência',
    'Referência',
    'Referência do imóvel',
    'Ref',
    'Code',
    'Property code',
    'Reference',
  ],
  title: ['Título', 'Título do anúncio', 'Título do imóvel', 'Nome do imóvel', 'Chamada', 'Title', 'Listing title'],
  type: ['Tipo', 'Tipo de imóvel', 'Tipo do imóvel', 'Tipologia', 'Categoria', 'Type', 'Property type'],
  purpose: [
    'Finalidade',
    'Transação',
    'Tipo de transação',
    'Tipo transação',
    'Negócio',
    'Tipo de negócio',
    'Tipo negócio',
    'Operação',
    'Modalidade',
    'Purpose',
    'Transaction',
    'Transaction type',
    'Listing type',
  ],
  propertyStatus: [
    'Situação',
    'Situação do imóvel',
    'Status',
    'Status do imóvel',
    'Disponibilidade',
    'Availability',
    'Listing status',
  ],
  salePrice: [
    'Valor de venda',
    'Valor venda',
    'Valor da venda',
    'Preço de venda',
    'Preço venda',
    'Venda',
    'Valor',
    'Preço',
    'Sale price',
    'Selling price',
    'Asking price',
    'Price',
    'Sale',
  ],
  rentPrice: [
    'Valor do aluguel',
    'Valor aluguel',
    'Valor de aluguel',
    'Valor da locação',
    'Valor de locação',
    'Valor locação',
    'Preço do aluguel',
    'Preço aluguel',
    'Preço de locação',
    'Preço locação',
    'Aluguel',
    'Aluguel mensal',
    'Locação',
    'Rent',
    'Rent price',
    'Rental price',
    'Monthly rent',
  ],
  condoFee: [
    'Condomínio',
    'Valor do condomínio',
    'Valor condomínio',
    'Taxa de condomínio',
    'Taxa condominial',
    'Cond',
    'Condo fee',
    'HOA',
    'HOA fee',
  ],
  propertyTax: ['IPTU', 'Valor do IPTU', 'Valor IPTU', 'Property tax'],
  builtArea: [
    'Área útil',
    'Área privativa',
    'Área construída',
    'Área',
    'Metragem',
    'M2',
    'Built area',
    'Living area',
    'Usable area',
    'Private area',
    'Floor area',
    'Size',
  ],
  totalArea: [
    'Área total',
    'Área do terreno',
    'Área terreno',
    'Área do lote',
    'Total area',
    'Lot area',
    'Lot size',
    'Land area',
  ],
  bedrooms: ['Quartos', 'Quarto', 'Dormitórios', 'Dorms', ...counted('quartos', 'dormitórios'), 'Bedrooms', 'Beds'],
  suites: ['Suítes', 'Suíte', ...counted('suítes')],
  bathrooms: ['Banheiros', 'Banheiro', 'WC', ...counted('banheiros'), 'Bathrooms', 'Baths'],
  parkingSpaces: [
    'Vagas',
    'Vaga',
    'Vagas de garagem',
    'Vagas na garagem',
    'Garagem',
    'Garagens',
    ...counted('vagas'),
    'Parking spaces',
    'Parking',
    'Garage',
    'Garage spaces',
  ],
  features: [
    'Características',
    'Características do imóvel',
    'Comodidades',
    'Diferenciais',
    'Infraestrutura',
    'Lazer',
    'Itens',
    'Features',
    'Amenities',
  ],
  ...addressAliases,
  // Not "Observações": a description goes to the portals, and a sheet's remarks are often the agency's own.
  description: [
    'Descrição',
    'Descrição do imóvel',
    'Descrição do anúncio',
    'Texto do anúncio',
    'Description',
    'Listing description',
  ],
  publishPortals: [
    'Publicar nos portais',
    'Publicado nos portais',
    'Publicar',
    'Publicado',
    'Anunciar',
    'Anunciado',
    'Portais',
    'Publish on the portals',
    'Publish portals',
    'Publish',
    'Published',
  ],
  assignee: [
    'Captador',
    'Captadora',
    'Corretor',
    'Corretora',
    'Corretor captador',
    'Responsável',
    'Agente',
    'Agent',
    'Listing agent',
    'Assigned to',
    'Assignee',
    'Assignee email',
  ],
  createdAt: [
    'Data de cadastro',
    'Data do cadastro',
    'Data de captação',
    'Data de criação',
    'Captado em',
    'Cadastrado em',
    'Criado em',
    'Cadastro',
    'Data',
    'Created at',
    'Created',
    'Date created',
    'Listing date',
  ],
  ownerName: [
    'Proprietário',
    'Proprietária',
    'Nome do proprietário',
    'Nome da proprietária',
    'Proprietário nome',
    'Dono',
    'Dono do imóvel',
    'Locador',
    'Owner name',
    "Owner's name",
    'Property owner',
    'Landlord',
  ],
  ownerPhones: ownerDetail(
    ['Telefone', 'Telefones', 'Celular', 'Fone', 'WhatsApp', 'Contato'],
    ['phone', 'phones', 'mobile', 'phone number'],
  ),
  ownerEmail: ownerDetail(['E-mail', 'Email'], ['e-mail', 'email']),
  ownerDocument: ownerDetail(['CPF', 'CNPJ', 'CPF/CNPJ', 'Documento'], ['document', 'CPF', 'tax ID']),
}

/** Fields whose column may appear more than once ("Características" and "Lazer"; an owner's two phone columns). */
export const repeatablePropertyFields: readonly PropertyImportField[] = ['features', 'ownerPhones']

/** A listing's values; no code means the importer gives it the agency's next one for its type, as the form does. */
export type NewPropertyValues = Omit<typeof properties.$inferInsert, 'agencyId' | 'id' | 'code'> & {
  code: string | null
}

/** What the reader of a row needs to know about the agency: also its language, for the titles it composes. */
export interface PropertyRowEnv extends LeadRowEnv {
  locale: string
}

/** A row read: the listing's values and its owner as a client's values (null: the sheet names none). */
export type ReadPropertyRow =
  | { ok: true; values: NewPropertyValues; owner: NewClientValues | null; warnings: RowReason[] }
  | { ok: false; reasons: RowReason[] }

/** The property form's own limits (ZPropertyInput), so an imported listing is one it could have saved. */
const CODE = /^[A-Z0-9-]{1,20}$/
const SPACES = /\s+/g
const TITLE_MAX = 160
const DESCRIPTION_MAX = 10_000
const FEATURES_MAX = 40
const FEATURE_MAX = 60

type Purpose = NewPropertyValues['purpose']

/** What the owner of a listing is to the agency, by what the listing is for. */
const OWNER_TYPES: Record<Purpose, NewClientValues['types']> = {
  sale: ['seller'],
  rent: ['landlord'],
  both: ['seller', 'landlord'],
}

interface TitleWords {
  types: Record<PropertyType, string>
  bedrooms: (n: number) => string
  place: (p: string) => string
}

/** The words of a composed title, per locale: pt-BR unless the agency works in English. */
const TITLE_WORDS: Record<'pt-BR' | 'en', TitleWords> = {
  'pt-BR': {
    types: {
      apartment: 'Apartamento',
      house: 'Casa',
      land: 'Terreno',
      commercial: 'Imóvel comercial',
      rural: 'Imóvel rural',
      other: 'Imóvel',
    },
    bedrooms: (n: number) => `com ${n} ${n === 1 ? 'quarto' : 'quartos'}`,
    place: (p: string) => `em ${p}`,
  },
  en: {
    types: {
      apartment: 'Apartment',
      house: 'House',
      land: 'Land',
      commercial: 'Commercial property',
      rural: 'Rural property',
      other: 'Property',
    },
    bedrooms: (n: number) => `with ${n} ${n === 1 ? 'bedroom' : 'bedrooms'}`,
    place: (p: string) => `in ${p}`,
  },
}

/**
 * A title for a listing the sheet gave none, as an agent would write it: "Apartamento com 3 quartos em Moema", "Casa em
 * Campinas", "Terreno". The place is the neighbourhood, else the city. At most 141 characters (the longest type and
 * bedroom count, and a 100-character place), so within the form's 160.
 */
function composeTitle(
  locale: string,
  type: PropertyType,
  bedrooms: number | null | undefined,
  place: string | null | undefined,
): string {
  const words = locale === 'en' ? TITLE_WORDS.en : TITLE_WORDS['pt-BR']
  return [words.types[type], bedrooms ? words.bedrooms(bedrooms) : null, place ? words.place(place) : null]
    .filter(Boolean)
    .join(' ')
}

/**
 * Reads one data row into a new listing's values, and its owner's, under a column mapping. A cell that cannot be read is
 * dropped with a warning; the row is refused only when it cannot be a listing the form would save: no type or one we do
 * not know, no purpose (none read, and no price to tell it by), or no price for what it is for. A missing title is
 * composed (titleComposed). Placeholder cells ("-", "N/A") are empty, and so is a sale or rent price of zero: CRMs
 * write 0 for "not for sale", which must not make a rental listing "sale and rent".
 */
export function readPropertyRow(cells: string[], mapping: (string | null)[], env: PropertyRowEnv): ReadPropertyRow {
  const warnings: RowReason[] = []
  const features: string[] = []
  const v: Omit<NewPropertyValues, 'title' | 'type' | 'purpose'> = { code: null }
  let title: string | null = null
  let type: PropertyType | undefined
  let typeUnknown = false
  let purpose: Purpose | null = null
  const owner = {
    given: false,
    name: null as string | null,
    phones: [] as string[],
    email: null as string | null,
    document: null as string | null,
  }
  for (let i = 0; i < mapping.length; i++) {
    const field = mapping[i] as PropertyImportField | null
    const raw = filled(cells[i] ?? '')
    if (!field || !raw) continue
    switch (field) {
      case 'code': {
        const code = raw.replace(SPACES, '-').toUpperCase()
        if (CODE.test(code)) v.code = code
        else warnings.push('codeUnreadable')
        break
      }
      case 'title':
        title = text(raw, TITLE_MAX, warnings)
        break
      case 'type': {
        // One type per listing: a cell naming several ("Casa/Sobrado", "Apartamento, Cobertura") gives its first.
        const r = readPropertyTypes(raw)
        if (r.ok) type = r.value[0]
        else typeUnknown = true
        break
      }
      case 'purpose':
        purpose = keep(readPurpose(raw), warnings) ?? purpose
        break
      case 'propertyStatus':
        v.status = keep(readPropertyStatus(raw), warnings) ?? undefined
        break
      case 'salePrice':
      case 'rentPrice': {
        const cents = keep(readMoney(raw), warnings)
        v[field] = cents ? cents : null
        break
      }
      case 'condoFee':
      case 'propertyTax':
        v[field] = keep(readMoney(raw), warnings) ?? null
        break
      case 'builtArea':
      case 'totalArea':
        v[field] = keep(readArea(raw), warnings) ?? null
        break
      case 'bedrooms':
      case 'suites':
      case 'bathrooms':
        v[field] = keep(readInteger(raw, 0, 100), warnings) ?? null
        break
      case 'parkingSpaces':
        v.parkingSpaces = keep(readInteger(raw, 0, 1000), warnings) ?? null
        break
      case 'features':
        features.push(raw)
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
      case 'description':
        v.description = text(raw, DESCRIPTION_MAX, warnings)
        break
      case 'publishPortals': {
        // readYesNo's own reason speaks of consent.
        const r = readYesNo(raw)
        if (r.ok) v.publishPortals = r.value ?? undefined
        else warnings.push('publishUnreadable')
        break
      }
      case 'assignee':
        v.assignedTo = memberNamed(raw, env, warnings) ?? v.assignedTo
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
      case 'ownerName':
        owner.given = true
        owner.name = text(raw, CLIENT_NAME_MAX, warnings)
        break
      case 'ownerPhones':
        owner.given = true
        addPhones(raw, env.country, owner.phones, warnings)
        break
      case 'ownerEmail':
        owner.given = true
        owner.email = keep(readEmail(raw), warnings) ?? null
        break
      case 'ownerDocument':
        owner.given = true
        owner.document = readDocument(raw, warnings)
        break
    }
  }
  // One list of all the columns' items, so a repeat across them drops case-blind as within one (readList).
  if (features.length) v.features = list(readList(features.join('\n')), FEATURES_MAX, FEATURE_MAX, warnings)
  if (v.suites != null && v.bedrooms != null && v.suites > v.bedrooms) {
    warnings.push('suitesOverBedrooms')
    v.suites = null
  }
  const sale = v.salePrice != null
  const rent = v.rentPrice != null
  // A sheet without a purpose column (or with a word we do not know) still says what the listing is for by its prices.
  purpose ??= sale && rent ? 'both' : sale ? 'sale' : rent ? 'rent' : null
  const refusals: RowReason[] = []
  if (!type) refusals.push(typeUnknown ? 'propertyTypeUnknown' : 'propertyTypeMissing')
  if (!purpose) refusals.push('purposeMissing')
  else if ((purpose !== 'rent' && !sale) || (purpose !== 'sale' && !rent)) refusals.push('priceMissing')
  if (!type || !purpose || refusals.length) return { ok: false, reasons: [...new Set([...warnings, ...refusals])] }
  if (!title) {
    title = composeTitle(env.locale, type, v.bedrooms, v.neighbourhood ?? v.city)
    warnings.push('titleComposed')
  }
  let ownerValues: NewClientValues | null = null
  if (owner.given) {
    const name = owner.name ?? owner.phones[0] ?? owner.email
    if (name)
      // The listing's agent deals with its owner, so the owner's client record is theirs too.
      ownerValues = {
        name,
        types: OWNER_TYPES[purpose],
        phones: clientPhones(owner.phones, warnings),
        email: owner.email,
        document: owner.document,
        assignedTo: v.assignedTo ?? null,
      }
    else warnings.push('ownerUnreadable')
  }
  return { ok: true, values: { ...v, title, type, purpose }, owner: ownerValues, warnings: [...new Set(warnings)] }
}

/** The keys an owner is found by among the agency's clients and the file's earlier owners: as for any client. */
export function ownerKeys(v: NewClientValues): string[] {
  return clientKeys(v)
}

/** The key a listing is found by among the agency's listings and the file's earlier rows: its code, case-blind. */
export function propertyKey(code: string): string {
  return `code:${code.toLowerCase()}`
}
