import { propertyPurposes, propertyStatuses, propertyTypes } from '@impera/db/enums'
import { describe, expect, it } from 'vitest'
import {
  ownerKeys,
  propertyFieldAliases,
  propertyKey,
  readPropertyRow,
  repeatablePropertyFields,
  type PropertyImportField,
} from './property-rows'
import {
  guessMapping,
  readArea,
  readPropertyStatus,
  readPropertyTypes,
  readPurpose,
  type ImportReason,
  type Read,
} from './values'

const value = <T>(v: T): Read<T> => ({ ok: true, value: v })
const reason = (r: ImportReason): Read<never> => ({ ok: false, reason: r })

const env = {
  country: 'BR',
  timeZone: 'America/Sao_Paulo',
  locale: 'pt-BR',
  members: new Map([
    ['ana@imob.com.br', 'user-ana'],
    ['ana souza', 'user-ana'],
  ]),
}

type Pair = [PropertyImportField | null, string]

/** A row as field/cell pairs, mapped as the import maps it (a field may come twice). */
const read = (pairs: Pair[], locale = 'pt-BR') =>
  readPropertyRow(
    pairs.map(([, cell]) => cell),
    pairs.map(([field]) => field),
    { ...env, locale },
  )

/** A row that must be read, with its warnings. */
const ok = (pairs: Pair[], locale?: string) => {
  const r = read(pairs, locale)
  if (!r.ok) throw new Error(`refused: ${r.reasons.join(', ')}`)
  return r
}

// The least a listing needs: a type, a purpose and its price (and a title, or one is composed).
const forSale: Pair[] = [
  ['title', 'Apartamento no centro'],
  ['type', 'Apartamento'],
  ['salePrice', '500000'],
]

describe('readArea', () => {
  it.each<[string, number | null]>([
    ['', null],
    ['-', null],
    ['72', 72],
    ['72,5', 72.5],
    ['72,5 m²', 72.5],
    ['72.50', 72.5],
    ['72.5m2', 72.5],
    ['1.250 m2', 1250],
    ['1.250,75 m²', 1250.75],
    ['1,250.75', 1250.75],
    ['1 250', 1250],
    ['72,555', 72.56],
    ['0,01', 0.01],
    ['350 metros', 350],
    ['350 metros quadrados', 350],
    ['350 M²', 350],
    ['120 sqm', 120],
    ['5 ha', 50_000],
    ['2,5 hectares', 25_000],
    ['99.999.999,99', 99_999_999.99],
  ])('%j → %j', (raw, area) => {
    expect(readArea(raw)).toEqual(value(area))
  })

  it.each(['72 m² privativos', 'setenta', '72,5,5', '1.2.3', 'm²', 'x'.repeat(100)])('%j → areaUnreadable', (raw) => {
    expect(readArea(raw)).toEqual(reason('areaUnreadable'))
  })

  it.each(['0', '0,00', '0,004', '-72', '− 72', '100.000.000', '99.999.999,995', '10.000 ha'])(
    '%j → areaOutOfRange',
    (raw) => {
      expect(readArea(raw)).toEqual(reason('areaOutOfRange'))
    },
  )
})

describe('readPurpose', () => {
  it.each<[string, string | null]>([
    ['', null],
    ['Venda', 'sale'],
    ['vende-se', 'sale'],
    ['Sale', 'sale'],
    ['Sell', 'sale'],
    ['Comprar', 'sale'],
    ['À venda', 'sale'],
    ['Aluguel', 'rent'],
    ['Locação', 'rent'],
    ['Alugar', 'rent'],
    ['Rent', 'rent'],
    ['Lease', 'rent'],
    ['Temporada', 'rent'],
    ['Venda e aluguel', 'both'],
    ['Venda/Locação', 'both'],
    ['Venda / Locação', 'both'],
    ['Locação, venda', 'both'],
    ['Venda ou locação', 'both'],
    ['Ambos', 'both'],
    ['Both', 'both'],
    ['Sale and rent', 'both'],
    ['Venda - urgente', 'sale'],
  ])('%j → %j', (raw, purpose) => {
    expect(readPurpose(raw)).toEqual(value(purpose))
  })

  it.each(['Residencial', 'Permuta', 'x'.repeat(300)])('%j → purposeUnknown', (raw) => {
    expect(readPurpose(raw)).toEqual(reason('purposeUnknown'))
  })
})

describe('readPropertyStatus', () => {
  it.each<[string, string | null]>([
    ['', null],
    ['Disponível', 'available'],
    ['ativo', 'available'],
    ['À venda', 'available'],
    ['Para alugar', 'available'],
    ['Available', 'available'],
    ['Reservado', 'reserved'],
    ['Em negociação', 'reserved'],
    ['Reserved', 'reserved'],
    ['Vendido', 'sold'],
    ['Sold', 'sold'],
    ['Alugado', 'rented'],
    ['Locado', 'rented'],
    ['Rented', 'rented'],
    ['Leased', 'rented'],
    ['Inativo', 'off_market'],
    ['Suspenso', 'off_market'],
    ['Fora do mercado', 'off_market'],
    ['Indisponível', 'off_market'],
    ['Off market', 'off_market'],
    ['off_market', 'off_market'],
  ])('%j → %j', (raw, status) => {
    expect(readPropertyStatus(raw)).toEqual(value(status))
  })

  it.each(['Em obras', 'x'.repeat(300)])('%j → propertyStatusUnknown', (raw) => {
    expect(readPropertyStatus(raw)).toEqual(reason('propertyStatusUnknown'))
  })
})

describe('readPropertyRow', () => {
  it('reads every field of a full row', () => {
    const r = ok([
      ['code', ' ap 0042 '],
      ['title', 'Apartamento com vista'],
      ['type', 'Cobertura'],
      ['purpose', 'Venda e locação'],
      ['propertyStatus', 'Em negociação'],
      ['salePrice', 'R$ 1.250.000,00'],
      ['rentPrice', '6.500'],
      ['condoFee', '1.200,50'],
      ['propertyTax', '450'],
      ['builtArea', '120,5 m²'],
      ['totalArea', '150'],
      ['bedrooms', '3'],
      ['suites', '1'],
      ['bathrooms', '2'],
      ['parkingSpaces', '2 vagas'],
      ['features', 'Piscina, Churrasqueira'],
      ['features', 'Academia; piscina'],
      ['street', 'Alameda dos Anapurus'],
      ['number', '1000'],
      ['complement', 'Cobertura 2'],
      ['neighbourhood', 'Moema'],
      ['city', 'São Paulo'],
      ['state', 'SP'],
      ['postalCode', '04087-001'],
      ['description', 'Linda cobertura.'],
      ['publishPortals', 'Sim'],
      ['assignee', 'ana@imob.com.br'],
      ['createdAt', '2023-05-10'],
      [null, 'ignored'],
    ])
    const at = new Date('2023-05-10T15:00:00Z')
    expect(r.values).toEqual({
      code: 'AP-0042',
      title: 'Apartamento com vista',
      type: 'apartment',
      purpose: 'both',
      status: 'reserved',
      salePrice: 1_250_000_00,
      rentPrice: 6_500_00,
      condoFee: 1_200_50,
      propertyTax: 450_00,
      builtArea: 120.5,
      totalArea: 150,
      bedrooms: 3,
      suites: 1,
      bathrooms: 2,
      parkingSpaces: 2,
      features: ['Piscina', 'Churrasqueira', 'Academia'],
      street: 'Alameda dos Anapurus',
      number: '1000',
      complement: 'Cobertura 2',
      neighbourhood: 'Moema',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '04087-001',
      description: 'Linda cobertura.',
      publishPortals: true,
      assignedTo: 'user-ana',
      createdAt: at,
      updatedAt: at,
      statusChangedAt: at,
    })
    expect(r.owner).toBeNull()
    expect(r.warnings).toEqual([])
  })

  it('upper-cases the code, and drops one the form would refuse (the importer then generates one)', () => {
    const code = (raw: string) => ok([...forSale, ['code', raw]])
    expect(code('ap0042').values.code).toBe('AP0042')
    expect(code('CA 12 B').values.code).toBe('CA-12-B')
    expect(code('12345').values.code).toBe('12345')
    expect(code('-').values.code).toBeNull()
    for (const raw of ['AP/0042', 'CÓD1', 'A'.repeat(21), 'AP_1']) {
      expect(code(raw).values.code, raw).toBeNull()
      expect(code(raw).warnings, raw).toEqual(['codeUnreadable'])
    }
    expect(ok(forSale).values.code).toBeNull()
  })

  it('takes one type, and refuses a row whose type is missing or unknown', () => {
    const type = (raw: string) =>
      read([
        ['salePrice', '1'],
        ['title', 'T'],
        ['type', raw],
      ])
    expect(type('Casa/Sobrado')).toMatchObject({ ok: true, values: { type: 'house' } })
    expect(type('Apartamento, Casa')).toMatchObject({ ok: true, values: { type: 'apartment' } })
    expect(type('Residential / Farm Ranch')).toMatchObject({ ok: true, values: { type: 'rural' } })
    expect(type('Barco')).toEqual({ ok: false, reasons: ['propertyTypeUnknown'] })
    expect(type('N/A')).toEqual({ ok: false, reasons: ['propertyTypeMissing'] })
    expect(read([['salePrice', '1']])).toEqual({ ok: false, reasons: ['propertyTypeMissing'] })
  })

  it('reads the purpose, or tells it by the prices', () => {
    const purpose = (...pairs: Pair[]) => read([['type', 'Casa'], ...pairs])
    expect(purpose(['purpose', 'Locação'], ['rentPrice', '2.500'])).toMatchObject({
      ok: true,
      values: { purpose: 'rent' },
    })
    expect(purpose(['salePrice', '500 mil'], ['rentPrice', '2.500'])).toMatchObject({
      ok: true,
      values: { purpose: 'both' },
      warnings: ['titleComposed'],
    })
    expect(purpose(['salePrice', '500 mil'])).toMatchObject({ ok: true, values: { purpose: 'sale' } })
    expect(purpose(['rentPrice', '2500'])).toMatchObject({ ok: true, values: { purpose: 'rent' } })
    expect(purpose(['purpose', 'Residencial'], ['rentPrice', '2500'])).toMatchObject({
      ok: true,
      values: { purpose: 'rent' },
      warnings: ['purposeUnknown', 'titleComposed'],
    })
    // A zero price is the other CRM's "not for sale": it tells no purpose and is kept as no price.
    const zero = purpose(['salePrice', '0'], ['rentPrice', 'R$ 2.500,00'])
    expect(zero).toMatchObject({ ok: true, values: { purpose: 'rent', salePrice: null, rentPrice: 2_500_00 } })
  })

  it('refuses a row with no purpose to read or tell, or without the price its purpose needs', () => {
    const row = (...pairs: Pair[]) => read([['type', 'Casa'], ...pairs])
    expect(row()).toEqual({ ok: false, reasons: ['purposeMissing'] })
    expect(row(['purpose', 'Permuta'], ['condoFee', '500'])).toEqual({
      ok: false,
      reasons: ['purposeUnknown', 'purposeMissing'],
    })
    expect(row(['purpose', 'Venda'], ['rentPrice', '2500'])).toEqual({ ok: false, reasons: ['priceMissing'] })
    expect(row(['purpose', 'Aluguel'], ['salePrice', '500000'])).toEqual({ ok: false, reasons: ['priceMissing'] })
    expect(row(['purpose', 'Ambos'], ['salePrice', '500000'])).toEqual({ ok: false, reasons: ['priceMissing'] })
    expect(row(['purpose', 'Venda'], ['salePrice', 'a combinar'])).toEqual({
      ok: false,
      reasons: ['moneyUnreadable', 'priceMissing'],
    })
    expect(read([['purpose', 'Venda']])).toEqual({ ok: false, reasons: ['propertyTypeMissing', 'priceMissing'] })
    // A sale listing may still carry its rent price, as in the form.
    expect(row(['purpose', 'Venda'], ['salePrice', '1'], ['rentPrice', '2'])).toMatchObject({
      ok: true,
      values: { purpose: 'sale', salePrice: 100, rentPrice: 200 },
    })
  })

  it('drops what cannot be read, with a warning, and keeps the listing', () => {
    const r = ok([
      ...forSale,
      ['propertyStatus', 'Em obras'],
      ['condoFee', 'incluso'],
      ['propertyTax', '-5'],
      ['builtArea', 'grande'],
      ['totalArea', '0'],
      ['bedrooms', '101'],
      ['bathrooms', 'dois'],
      ['parkingSpaces', '1001'],
      ['postalCode', '123'],
      ['publishPortals', 'talvez'],
      ['assignee', 'Beto'],
      ['createdAt', `01/01/${new Date().getUTCFullYear() + 1}`],
    ])
    expect(r.values).toEqual({
      code: null,
      title: 'Apartamento no centro',
      type: 'apartment',
      purpose: 'sale',
      salePrice: 500_000_00,
      condoFee: null,
      propertyTax: null,
      builtArea: null,
      totalArea: null,
      bedrooms: null,
      bathrooms: null,
      parkingSpaces: null,
      postalCode: null,
    })
    expect(r.warnings).toEqual([
      'propertyStatusUnknown',
      'moneyUnreadable',
      'moneyOutOfRange',
      'areaUnreadable',
      'areaOutOfRange',
      'integerOutOfRange',
      'integerUnreadable',
      'cepUnreadable',
      'publishUnreadable',
      'assigneeUnknown',
      'dateOutOfRange',
    ])
  })

  it('reads counts within the form’s bounds, and drops suites past the bedrooms', () => {
    const counts = ok([
      ...forSale,
      ['bedrooms', '100'],
      ['suites', '0'],
      ['bathrooms', '3.0'],
      ['parkingSpaces', '1000'],
    ])
    expect(counts.values).toMatchObject({ bedrooms: 100, suites: 0, bathrooms: 3, parkingSpaces: 1000 })
    const over = ok([...forSale, ['bedrooms', '2'], ['suites', '3']])
    expect(over.values).toMatchObject({ bedrooms: 2, suites: null })
    expect(over.warnings).toEqual(['suitesOverBedrooms'])
    expect(ok([...forSale, ['suites', '3']]).values.suites).toBe(3)
  })

  it('keeps the form’s limits: title, address, description and 40 features of 60 characters', () => {
    const r = ok([
      ['type', 'Casa'],
      ['salePrice', '1'],
      ['title', 'T'.repeat(161)],
      ['street', 'R'.repeat(201)],
      ['number', '1'.repeat(21)],
      ['state', 'S'.repeat(61)],
      ['description', 'd'.repeat(10_001)],
      ['features', Array.from({ length: 41 }, (_, i) => `item ${i}`).join(', ')],
      ['features', 'f'.repeat(61)],
    ])
    const v = r.values
    expect([v.title.length, v.street?.length, v.number?.length, v.state?.length]).toEqual([160, 200, 20, 60])
    expect(v.description).toHaveLength(10_000)
    expect(v.features).toHaveLength(40)
    expect(r.warnings).toEqual(['tooLong'])
    expect(ok([...forSale, ['features', 'f'.repeat(61)]]).values.features).toEqual(['f'.repeat(60)])
  })

  it('reads the status, leaving an unknown one to the default (available)', () => {
    expect(ok([...forSale, ['propertyStatus', 'Vendido']]).values.status).toBe('sold')
    expect(ok([...forSale, ['propertyStatus', 'Em obras']]).values.status).toBeUndefined()
    expect(ok([...forSale, ['publishPortals', 'não']]).values.publishPortals).toBe(false)
  })

  describe('a missing title', () => {
    const title = (locale: string, ...pairs: Pair[]) => {
      const r = ok([['salePrice', '1'], ...pairs], locale)
      expect(r.warnings).toContain('titleComposed')
      return r.values.title
    }

    it('is composed in Portuguese from the type, the bedrooms and the neighbourhood or city', () => {
      const at = (...p: Pair[]) => title('pt-BR', ...p)
      expect(at(['type', 'Apto'], ['bedrooms', '3'], ['neighbourhood', 'Moema'], ['city', 'São Paulo'])).toBe(
        'Apartamento com 3 quartos em Moema',
      )
      expect(at(['type', 'Sobrado'], ['city', 'Campinas'])).toBe('Casa em Campinas')
      expect(at(['type', 'Lote'])).toBe('Terreno')
      expect(at(['type', 'Casa'], ['bedrooms', '1'])).toBe('Casa com 1 quarto')
      expect(at(['type', 'Casa'], ['bedrooms', '0'], ['city', 'Santos'])).toBe('Casa em Santos')
      expect(at(['type', 'Sala comercial'], ['neighbourhood', 'Centro'])).toBe('Imóvel comercial em Centro')
      expect(at(['type', 'Chácara'])).toBe('Imóvel rural')
      expect(at(['type', 'Outro'], ['title', '-'])).toBe('Imóvel')
    })

    it('is composed in English for an agency that works in English', () => {
      const at = (...p: Pair[]) => title('en', ...p)
      expect(at(['type', 'Apartment'], ['bedrooms', '3'], ['neighbourhood', 'Moema'])).toBe(
        'Apartment with 3 bedrooms in Moema',
      )
      expect(at(['type', 'House'], ['bedrooms', '1'], ['city', 'Campinas'])).toBe('House with 1 bedroom in Campinas')
      expect(at(['type', 'Land'])).toBe('Land')
      expect(at(['type', 'Galpão'], ['city', 'Jundiaí'])).toBe('Commercial property in Jundiaí')
    })

    it('is not composed when the sheet gives one', () => {
      expect(ok(forSale).warnings).toEqual([])
    })
  })

  describe('the owner', () => {
    const owner = (...pairs: Pair[]) => ok([...forSale, ...pairs])

    it('is a client whose types follow the purpose, assigned to the listing’s agent', () => {
      const r = owner(
        ['ownerName', 'João Pereira'],
        ['ownerPhones', '(11) 98765-4321'],
        ['ownerPhones', '11 3333-4444'],
        ['ownerEmail', 'Joao@Exemplo.com'],
        ['ownerDocument', '529.982.247-25'],
        ['assignee', 'Ana Souza'],
      )
      expect(r.owner).toEqual({
        name: 'João Pereira',
        types: ['seller'],
        phones: ['+5511987654321', '+551133334444'],
        email: 'joao@exemplo.com',
        document: '52998224725',
        assignedTo: 'user-ana',
      })
      const types = (purpose: string) =>
        ok([
          ['type', 'Casa'],
          ['purpose', purpose],
          ['salePrice', '1'],
          ['rentPrice', '1'],
          ['ownerName', 'J'],
        ]).owner?.types
      expect(types('Aluguel')).toEqual(['landlord'])
      expect(types('Venda e aluguel')).toEqual(['seller', 'landlord'])
      expect(owner(['ownerName', 'J']).owner).toMatchObject({ phones: [], email: null, assignedTo: null })
    })

    it('is named by the first phone, then the e-mail', () => {
      expect(owner(['ownerPhones', '11 98765-4321'], ['ownerEmail', 'j@e.com']).owner?.name).toBe('+5511987654321')
      expect(owner(['ownerEmail', 'j@e.com'], ['ownerName', '-']).owner?.name).toBe('j@e.com')
    })

    it('is none when the sheet names none, or nothing it gives identifies a person', () => {
      expect(owner(['ownerName', ''], ['ownerPhones', 'N/A']).owner).toBeNull()
      expect(owner(['ownerName', ''], ['ownerPhones', 'N/A']).warnings).toEqual([])
      const unreadable = owner(['ownerPhones', '123'], ['ownerEmail', 'joao@'])
      expect(unreadable.owner).toBeNull()
      expect(unreadable.warnings).toEqual(['phoneUnreadable', 'emailUnreadable', 'ownerUnreadable'])
      // A CPF alone names no one: a client needs a name.
      expect(owner(['ownerDocument', '529.982.247-25']).warnings).toEqual(['ownerUnreadable'])
      expect(owner(['ownerDocument', '111']).warnings).toEqual(['documentUnreadable', 'ownerUnreadable'])
    })

    it('keeps five phones', () => {
      const phones = Array.from({ length: 6 }, (_, i) => `11 9000-000${i}`).join(' / ')
      const r = owner(['ownerName', 'J'], ['ownerPhones', phones])
      expect(r.owner?.phones).toHaveLength(5)
      expect(r.warnings).toEqual(['tooManyPhones'])
    })

    it('is found by its phones, e-mail and document, as clients are', () => {
      expect(ownerKeys({ name: 'J', phones: ['+5511987654321'], email: 'J@E.com', document: '52998224725' })).toEqual([
        '+5511987654321',
        'mailto:j@e.com',
        'doc:52998224725',
      ])
    })
  })

  it('is found by its code, case-blind', () => {
    expect(propertyKey('AP-0042')).toBe('code:ap-0042')
  })
})

describe('propertyFieldAliases', () => {
  const guess = (headers: string[]) => guessMapping(headers, propertyFieldAliases, repeatablePropertyFields)

  it('maps a typical agency sheet', () => {
    const headers = [
      'Código',
      'Título',
      'Tipo',
      'Finalidade',
      'Valor de venda',
      'Valor do aluguel',
      'Condomínio',
      'IPTU',
      'Área útil',
      'Quartos',
      'Suítes',
      'Banheiros',
      'Vagas',
      'Bairro',
      'Cidade',
      'UF',
      'CEP',
      'Proprietário',
      'Telefone do proprietário',
      'E-mail do proprietário',
      'CPF do proprietário',
      'Corretor',
    ]
    expect(guess(headers)).toEqual([
      'code',
      'title',
      'type',
      'purpose',
      'salePrice',
      'rentPrice',
      'condoFee',
      'propertyTax',
      'builtArea',
      'bedrooms',
      'suites',
      'bathrooms',
      'parkingSpaces',
      'neighbourhood',
      'city',
      'state',
      'postalCode',
      'ownerName',
      'ownerPhones',
      'ownerEmail',
      'ownerDocument',
      'assignee',
    ])
    // The same sheet with its columns in another order maps the same way.
    const reversed = [...headers].reverse()
    expect(guess(reversed)).toEqual(guess(headers).reverse())
  })

  it('maps other CRMs’ headers, those that start with a shorter field’s alias included', () => {
    expect(
      guess([
        'Referência',
        'Tipo do imóvel',
        'Tipo de negócio',
        'Valor do IPTU',
        'Valor condomínio',
        'Valor locação',
        'Preço de venda (R$)',
        'Área privativa (m²)',
        'Área do terreno',
        'Dormitórios',
        'Nº de suítes',
        'Número de banheiros',
        'Vagas de garagem',
        'Características do imóvel',
        'Lazer',
        'Endereço',
        'Número',
        'Município',
        'Descrição do anúncio',
        'Situação',
        'Publicar nos portais',
        'Captador',
        'Data de captação',
        'Nome do proprietário',
        'Celular do proprietário',
        'Proprietário - telefone',
        'Email proprietário',
        'CPF/CNPJ do proprietário',
      ]),
    ).toEqual([
      'code',
      'type',
      'purpose',
      'propertyTax',
      'condoFee',
      'rentPrice',
      'salePrice',
      'builtArea',
      'totalArea',
      'bedrooms',
      'suites',
      'bathrooms',
      'parkingSpaces',
      'features',
      'features',
      'street',
      'number',
      'city',
      'description',
      'propertyStatus',
      'publishPortals',
      'assignee',
      'createdAt',
      'ownerName',
      'ownerPhones',
      'ownerPhones',
      'ownerEmail',
      'ownerDocument',
    ])
    expect(guess(['Cód.', 'Ref', 'Valor', 'Aluguel', 'Área', 'Área total', 'Garagem', 'Observações'])).toEqual([
      'code',
      null,
      'salePrice',
      'rentPrice',
      'builtArea',
      'totalArea',
      'parkingSpaces',
      null,
    ])
  })

  it("maps the agency export's imoveis.csv back, its ids and bookkeeping to nothing", () => {
    expect(
      guess([
        'id',
        'code',
        'title',
        'type',
        'purpose',
        'status',
        'sale_price',
        'rent_price',
        'condo_fee',
        'property_tax',
        'built_area',
        'total_area',
        'bedrooms',
        'suites',
        'bathrooms',
        'parking_spaces',
        'features',
        'street',
        'number',
        'complement',
        'neighbourhood',
        'city',
        'state',
        'postal_code',
        'country',
        'description',
        'owner_client_id',
        'assignee_email',
        'publish_portals',
        'created_at',
        'updated_at',
        'deleted_at',
      ]),
    ).toEqual([
      null,
      'code',
      'title',
      'type',
      'purpose',
      'propertyStatus',
      'salePrice',
      'rentPrice',
      'condoFee',
      'propertyTax',
      'builtArea',
      'totalArea',
      'bedrooms',
      'suites',
      'bathrooms',
      'parkingSpaces',
      'features',
      'street',
      'number',
      'complement',
      'neighbourhood',
      'city',
      'state',
      'postalCode',
      null,
      'description',
      null,
      'assignee',
      'publishPortals',
      'createdAt',
      null,
      null,
    ])
  })

  it("reads the agency export's cells back", () => {
    // imoveis.csv with ";" (pt-BR): amounts and areas with a decimal comma, lists joined by " | ".
    const r = ok([
      ['code', 'AP0007'],
      ['title', 'Apto'],
      ['type', 'apartment'],
      ['purpose', 'both'],
      ['propertyStatus', 'off_market'],
      ['salePrice', '450000,5'],
      ['rentPrice', '2500'],
      ['builtArea', '72,5'],
      ['bedrooms', '2'],
      ['features', 'Piscina | Varanda gourmet'],
      ['publishPortals', 'true'],
      ['createdAt', '2024-03-15 14:30:00'],
    ])
    expect(r.values).toMatchObject({
      code: 'AP0007',
      type: 'apartment',
      purpose: 'both',
      status: 'off_market',
      salePrice: 450_000_50,
      rentPrice: 2_500_00,
      builtArea: 72.5,
      bedrooms: 2,
      features: ['Piscina', 'Varanda gourmet'],
      publishPortals: true,
      createdAt: new Date('2024-03-15T17:30:00Z'),
    })
    expect(r.warnings).toEqual([])
  })

  // Both locales' labels read back, and the properties list's export headers and the form's labels map to their fields,
  // straight from the web app's message files, so a renamed label fails here.
  type Messages = Record<
    'properties' | 'clients' | 'leads' | 'lists',
    Record<string, string> & Record<'typeNames' | 'purposes' | 'statuses', Record<string, string>>
  >
  it.each([
    ['pt-BR.ts', 'ptBR'],
    ['en.ts', 'en'],
  ])('reads the labels and the list export of %s', async (file, name) => {
    const path = new URL(`../../../../apps/web/app/i18n/${file}`, import.meta.url).pathname
    const m = ((await import(/* @vite-ignore */ path)) as Record<string, Messages>)[name]!
    const p = m.properties
    for (const t of propertyTypes) expect(readPropertyTypes(p.typeNames[t]!)).toEqual(value([t]))
    for (const t of propertyPurposes) expect(readPurpose(p.purposes[t]!)).toEqual(value(t))
    for (const s of propertyStatuses) expect(readPropertyStatus(p.statuses[s]!)).toEqual(value(s))
    const listExport = [
      p.code,
      p.titleField,
      p.type,
      p.purpose,
      p.status,
      p.salePrice,
      p.rentPrice,
      p.bedrooms,
      p.parkingSpaces,
      m.lists.area,
      m.clients.neighbourhood,
      m.clients.city,
      p.assignee,
      m.leads.created,
      m.leads.updated,
    ]
    expect(guess(listExport.map((h) => h!))).toEqual([
      'code',
      'title',
      'type',
      'purpose',
      'propertyStatus',
      'salePrice',
      'rentPrice',
      'bedrooms',
      'parkingSpaces',
      'builtArea',
      'neighbourhood',
      'city',
      'assignee',
      'createdAt',
      null,
    ])
    const form = [
      'condoFee',
      'propertyTax',
      'builtArea',
      'totalArea',
      'suites',
      'bathrooms',
      'features',
      'description',
      'publishPortals',
    ] as const
    for (const field of form) expect(guess([p[field]!]), p[field]).toEqual([field])
    expect(guess([p.created!])).toEqual(['createdAt'])
  })
})
