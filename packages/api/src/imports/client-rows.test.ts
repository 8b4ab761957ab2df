import { clientTypeValues } from '@impera/db/enums'
import { describe, expect, it } from 'vitest'
import {
  clientFieldAliases,
  clientKeys,
  readClientRow,
  repeatableClientFields,
  type ClientImportField,
} from './client-rows'
import { guessMapping, readClientTypes, type ImportReason, type Read } from './values'

const value = <T>(v: T): Read<T> => ({ ok: true, value: v })
const reason = (r: ImportReason): Read<never> => ({ ok: false, reason: r })

const env = {
  country: 'BR',
  timeZone: 'America/Sao_Paulo',
  members: new Map([
    ['ana@imob.com.br', 'user-ana'],
    ['ana souza', 'user-ana'],
  ]),
}

/** A row as field/cell pairs, mapped as the import maps it (a field may come twice). */
const read = (...pairs: [ClientImportField | null, string][]) =>
  readClientRow(
    pairs.map(([, cell]) => cell),
    pairs.map(([field]) => field),
    env,
  )

/** The values of a row that must be read, with its warnings. */
const ok = (...pairs: [ClientImportField | null, string][]) => {
  const r = read(...pairs)
  if (!r.ok) throw new Error(`refused: ${r.reasons.join(', ')}`)
  return r
}

describe('readClientTypes', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['-', []],
    ['Comprador', ['buyer']],
    ['compradora', ['buyer']],
    ['Buyer', ['buyer']],
    ['buyer', ['buyer']],
    ['Vendedor', ['seller']],
    ['Proprietário', ['seller']],
    ['proprietaria', ['seller']],
    ['Owner', ['seller']],
    ['Seller', ['seller']],
    ['Inquilino', ['tenant']],
    ['Locatário', ['tenant']],
    ['Tenant', ['tenant']],
    ['Locador', ['landlord']],
    ['Senhorio', ['landlord']],
    ['Landlord', ['landlord']],
    ['Comprador, Vendedor', ['buyer', 'seller']],
    ['Comprador e locador', ['buyer', 'landlord']],
    ['Inquilino; Comprador | Comprador', ['tenant', 'buyer']],
    // The clients list's export: labels joined by ", ", one of which holds a "/".
    ['Comprador, Vendedor / proprietário', ['buyer', 'seller']],
    ['Buyer, Seller / owner, Tenant, Landlord', ['buyer', 'seller', 'tenant', 'landlord']],
    // The agency export's clientes.csv: values joined by " | ".
    ['buyer | landlord', ['buyer', 'landlord']],
  ])('%j → %j', (raw, types) => {
    expect(readClientTypes(raw)).toEqual(value(types))
  })

  it.each(['Investidor', 'Comprador, Investidor', 'x'.repeat(300)])('%j → clientTypeUnknown', (raw) => {
    expect(readClientTypes(raw)).toEqual(reason('clientTypeUnknown'))
  })
})

describe('readClientRow', () => {
  it('reads every field of a full row', () => {
    const r = ok(
      ['name', 'Maria da Silva'],
      ['phones', '(11) 98765-4321'],
      ['phones', '11 3333-4444 / (11) 98765-4321'],
      ['email', ' Maria@Exemplo.COM '],
      ['document', '529.982.247-25'],
      ['types', 'Compradora, Locadora'],
      ['street', 'Rua Augusta'],
      ['number', '1200'],
      ['complement', 'Apto 42'],
      ['neighbourhood', 'Consolação'],
      ['city', 'São Paulo'],
      ['state', 'SP'],
      ['postalCode', '1305100'],
      ['birthDate', '15/03/1985'],
      ['notes', 'Prefere contato à tarde'],
      ['notes', 'Tem dois filhos'],
      ['tags', 'vip, investidor'],
      ['tags', 'VIP'],
      ['assignee', 'Ana Souza'],
      ['createdAt', '02/01/2023 09:30'],
      ['marketingConsent', 'Sim'],
      [null, 'ignored'],
    )
    expect(r.values).toEqual({
      name: 'Maria da Silva',
      phones: ['+5511987654321', '+551133334444'],
      email: 'maria@exemplo.com',
      document: '52998224725',
      types: ['buyer', 'landlord'],
      street: 'Rua Augusta',
      number: '1200',
      complement: 'Apto 42',
      neighbourhood: 'Consolação',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '01305-100',
      birthDate: '1985-03-15',
      notes: 'Prefere contato à tarde\nTem dois filhos',
      tags: ['vip', 'investidor'],
      assignedTo: 'user-ana',
      createdAt: new Date('2023-01-02T12:30:00Z'),
      updatedAt: new Date('2023-01-02T12:30:00Z'),
    })
    expect(r.consent).toBe(true)
    expect(r.warnings).toEqual([])
  })

  it('names the person by the first phone, then the e-mail, and refuses a row with neither', () => {
    expect(ok(['phones', '11 98765-4321'], ['email', 'a@b.com']).values.name).toBe('+5511987654321')
    expect(ok(['name', ''], ['email', 'a@b.com']).values.name).toBe('a@b.com')
    expect(read(['name', '-'], ['phones', '123'], ['document', '529.982.247-25'])).toEqual({
      ok: false,
      reasons: ['phoneUnreadable', 'noContact'],
    })
    expect(read()).toEqual({ ok: false, reasons: ['noContact'] })
  })

  it('reads placeholders as empty cells', () => {
    const r = ok(['name', 'Ana'], ['street', 'N/A'], ['complement', '-'], ['document', 'não informado'])
    expect(r.values).toEqual({ name: 'Ana' })
    expect(r.warnings).toEqual([])
  })

  it('drops what cannot be read, with a warning, and keeps the person', () => {
    const r = ok(
      ['name', 'Ana'],
      ['phones', 'sem telefone'],
      ['email', 'ana@'],
      ['document', '123.456.789-00'],
      ['types', 'Investidor'],
      ['postalCode', '123'],
      ['birthDate', '31/02/1990'],
      ['assignee', 'Beto'],
      ['createdAt', 'ontem'],
      ['marketingConsent', 'talvez'],
    )
    expect(r.values).toEqual({
      name: 'Ana',
      email: null,
      document: null,
      types: [],
      postalCode: null,
      birthDate: null,
    })
    expect(r.warnings).toEqual([
      'phoneUnreadable',
      'emailUnreadable',
      'documentUnreadable',
      'clientTypeUnknown',
      'cepUnreadable',
      'dateUnreadable',
      'assigneeUnknown',
      'consentUnreadable',
    ])
    expect(r.consent).toBeNull()
  })

  it('reads a CPF or CNPJ with or without punctuation, and one Excel read as a number', () => {
    expect(ok(['name', 'A'], ['document', '52998224725']).values.document).toBe('52998224725')
    expect(ok(['name', 'A'], ['document', '11.222.333/0001-81']).values.document).toBe('11222333000181')
    // 012.345.678-90 and 01.234.567/0001-95 as numbers: their leading zeros gone.
    expect(ok(['name', 'A'], ['document', '1234567890']).values.document).toBe('01234567890')
    expect(ok(['name', 'A'], ['document', '1234567000195']).values.document).toBe('01234567000195')
    expect(ok(['name', 'A'], ['document', '1234567891']).warnings).toEqual(['documentUnreadable'])
  })

  it('keeps the form’s limits: name, address, notes, tags and five phones', () => {
    const r = ok(
      ['name', 'N'.repeat(170)],
      ['street', 'R'.repeat(201)],
      ['number', '1'.repeat(21)],
      ['complement', 'C'.repeat(101)],
      ['neighbourhood', 'B'.repeat(101)],
      ['city', 'C'.repeat(101)],
      ['state', 'S'.repeat(61)],
      ['notes', 'x'.repeat(5001)],
      ['tags', Array.from({ length: 22 }, (_, i) => `tag${i}`).join(', ')],
      ['phones', '11 90000-0001, 11 90000-0002, 11 90000-0003, 11 90000-0004, 11 90000-0005, 11 90000-0006'],
    )
    const v = r.values
    expect([v.name.length, v.street?.length, v.number?.length, v.complement?.length]).toEqual([160, 200, 20, 100])
    expect([v.neighbourhood?.length, v.city?.length, v.state?.length, v.notes?.length]).toEqual([100, 100, 60, 5000])
    expect(v.tags).toHaveLength(20)
    expect(v.phones).toEqual(['+5511900000001', '+5511900000002', '+5511900000003', '+5511900000004', '+5511900000005'])
    expect(r.warnings).toEqual(['tooLong', 'tooManyPhones'])
    expect(ok(['name', 'A'], ['tags', 't'.repeat(41)]).values.tags).toEqual(['t'.repeat(40)])
  })

  it('stores the birth date as the day the cell names in the agency’s zone', () => {
    const day = (raw: string) => ok(['name', 'A'], ['birthDate', raw])
    expect(day('15/03/1985').values.birthDate).toBe('1985-03-15')
    expect(day('1985-03-15').values.birthDate).toBe('1985-03-15')
    expect(day('15 de março de 1985').values.birthDate).toBe('1985-03-15')
    expect(day('31121').values.birthDate).toBe('1985-03-15')
    // An instant with its own offset: 01:00 UTC is still the evening before in São Paulo.
    expect(day('2000-01-01T01:00:00Z').values.birthDate).toBe('1999-12-31')
    expect(day('01/01/1900').values.birthDate).toBe('1900-01-01')
    expect(day('31/12/1899').warnings).toEqual(['dateOutOfRange'])
    expect(day('1900-01-01T01:00:00Z').warnings).toEqual(['dateOutOfRange'])
    const next = new Date(Date.now() + 2 * 86_400_000)
    const future = `${next.getUTCDate()}/${next.getUTCMonth() + 1}/${next.getUTCFullYear()}`
    expect(day(future).values.birthDate).toBeNull()
    expect(day(future).warnings).toEqual(['dateOutOfRange'])
  })

  it('drops a creation date in the future', () => {
    const r = ok(['name', 'A'], ['createdAt', `01/01/${new Date().getUTCFullYear() + 1}`])
    expect(r.values).toEqual({ name: 'A' })
    expect(r.warnings).toEqual(['dateOutOfRange'])
  })

  it('finds the assignee by e-mail or by name', () => {
    expect(ok(['name', 'A'], ['assignee', 'ANA@imob.com.br']).values.assignedTo).toBe('user-ana')
    expect(ok(['name', 'A'], ['assignee', 'Ána Souza']).values.assignedTo).toBe('user-ana')
  })
})

describe('clientKeys', () => {
  it('is the phones, the e-mail lower-cased and the document', () => {
    expect(
      clientKeys({ name: 'A', phones: ['+5511987654321'], email: 'Ana@Exemplo.com', document: '52998224725' }),
    ).toEqual(['+5511987654321', 'mailto:ana@exemplo.com', 'doc:52998224725'])
    expect(clientKeys({ name: 'A' })).toEqual([])
  })
})

describe('clientFieldAliases', () => {
  const guess = (headers: string[]) => guessMapping(headers, clientFieldAliases, repeatableClientFields)

  it('maps an agency sheet typed in Excel', () => {
    expect(
      guess([
        'Nome',
        'Telefone',
        'Celular',
        'E-mail',
        'CPF/CNPJ',
        'Perfil',
        'Endereço',
        'Nº',
        'Complemento',
        'Bairro',
        'Município',
        'UF',
        'CEP',
        'Data de nascimento',
        'Observações',
        'Obs',
        'Etiquetas',
        'Corretor',
        'Data de cadastro',
        'Aceita receber ofertas',
        'Profissão',
      ]),
    ).toEqual([
      'name',
      'phones',
      'phones',
      'email',
      'document',
      'types',
      'street',
      'number',
      'complement',
      'neighbourhood',
      'city',
      'state',
      'postalCode',
      'birthDate',
      'notes',
      'notes',
      'tags',
      'assignee',
      'createdAt',
      'marketingConsent',
      null,
    ])
  })

  it('tells headers apart that start with another field’s alias', () => {
    expect(
      guess([
        'Número de telefone',
        'Número',
        'Nº do documento',
        'Data nasc.',
        'Data',
        'Endereço de e-mail',
        'Logradouro',
      ]),
    ).toEqual(['phones', 'number', 'document', 'birthDate', 'createdAt', 'email', 'street'])
    expect(guess(['Tipo de cliente', 'Aniversário', 'Código postal', 'Cidade'])).toEqual([
      'types',
      'birthDate',
      'postalCode',
      'city',
    ])
    expect(guess(['Name', 'Phone', 'Email', 'Address', 'Number', 'Neighborhood', 'City', 'State', 'ZIP'])).toEqual([
      'name',
      'phones',
      'email',
      'street',
      'number',
      'neighbourhood',
      'city',
      'state',
      'postalCode',
    ])
  })

  it("maps the agency export's clientes.csv back, its ids and bookkeeping to nothing", () => {
    expect(
      guess([
        'id',
        'name',
        'types',
        'phones',
        'email',
        'document',
        'street',
        'number',
        'complement',
        'neighbourhood',
        'city',
        'state',
        'postal_code',
        'country',
        'birth_date',
        'tags',
        'notes',
        'assignee_email',
        'created_at',
        'updated_at',
        'deleted_at',
        'anonymized_at',
      ]),
    ).toEqual([
      null,
      'name',
      'types',
      'phones',
      'email',
      'document',
      'street',
      'number',
      'complement',
      'neighbourhood',
      'city',
      'state',
      'postalCode',
      null,
      'birthDate',
      'tags',
      'notes',
      'assignee',
      'createdAt',
      null,
      null,
      null,
    ])
  })

  // Both locales' labels read back, and the clients list's export headers map to their fields, straight from the web
  // app's message files, so a renamed label fails here.
  type Messages = Record<'clients' | 'leads', Record<string, string> & { typeNames: Record<string, string> }>
  it.each([
    ['pt-BR.ts', 'ptBR'],
    ['en.ts', 'en'],
  ])('reads the labels and the list export of %s', async (file, name) => {
    const path = new URL(`../../../../apps/web/app/i18n/${file}`, import.meta.url).pathname
    const { clients, leads } = ((await import(/* @vite-ignore */ path)) as Record<string, Messages>)[name]!
    for (const t of clientTypeValues) expect(readClientTypes(clients.typeNames[t]!)).toEqual(value([t]))
    const listExport = ['name', 'phones', 'email', 'types', 'document', 'city', 'tags', 'assignee', 'created']
    expect(guess([...listExport.map((k) => clients[k]!), leads.updated!])).toEqual([
      'name',
      'phones',
      'email',
      'types',
      'document',
      'city',
      'tags',
      'assignee',
      'createdAt',
      null,
    ])
    const form = ['street', 'number', 'complement', 'neighbourhood', 'postalCode', 'birthDate', 'notes'] as const
    for (const field of form) expect(guess([clients[field]!]), clients[field]).toEqual([field])
    expect(guess([clients.state!, clients.country!])).toEqual(['state', null])
  })
})
