import fc from 'fast-check'
import type { z } from 'zod'

/**
 * Values built from a procedure's own zod input schema, with hostile values mixed in at every level: what the
 * schema expects, what it almost expects, and what nobody should send. The schema tells the generator where ids,
 * dates, numbers and texts go, so most inputs pass parsing and reach the services and the database.
 */

/** Strings that broke something once, or would: bytes Postgres refuses, impossible dates, overflowing numbers. */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '😀',
  '\u202eevil',
  '\t\r\n',
  "'; drop table leads; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  'x'.repeat(5000),
  '2024-02-30',
  '0000-01-01',
  '9999-12-31',
  '99999-01-01',
  '+010000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '2024-13-01T25:61:61Z',
  'NaN',
  'Infinity',
  '1e308',
  '-1',
  '99999999999999999999999',
  '100000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '=cmd|" /C calc"!A0',
  'R$ 1.250.000,00',
  '1,2 mi',
  '+55 (11) 98765-4321',
  'true',
  'null',
]

const hostileNumbers = [
  0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  1e8,
  99_999_999.995,
  1e13,
  1e15,
  1e308,
  -1e308,
  Number.MIN_VALUE,
]

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

/** List cursors a client could forge: impossible timestamps, oversized integers, NUL, wrong shapes. */
export function forgedCursors(ids: string[]): string[] {
  const id = ids[0] ?? '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b'
  const tuples: unknown[] = [
    ['createdAt', 'desc', '9999-99-99 99:99:99+00', id],
    ['createdAt', 'desc', '2024-02-30 10:00:00+00', id],
    ['createdAt', 'desc', '10000-01-01 00:00:00+00', id],
    ['createdAt', 'desc', '2024-01-01 10:00:00+99', id],
    ['createdAt', 'desc', null, id],
    ['createdAt', 'asc', '2024-01-01 10:00:00.123456+00', id],
    ['bedrooms', 'desc', '99999999999999999', id],
    ['minBedrooms', 'desc', '-99999999999', id],
    ['budget', 'desc', '99999999999999999999.9999999999', id],
    ['name', 'asc', 'a\u0000b', id],
    ['name', 'asc', '\ud800', id],
    ['status', 'desc', 'not-a-status', id],
    ['createdAt', 'desc', '2024-01-01 10:00:00+00', 'not-a-uuid'],
    ['createdAt', 'sideways', '2024-01-01 10:00:00+00', id],
    { sort: 'createdAt' },
    'x'.repeat(400),
  ]
  return [...tuples.map((t) => base64Url(JSON.stringify(t))), 'not base64 at all!', base64Url('\u0000'), base64Url('{')]
}

export interface Pools {
  /** Real ids (both agencies, every kind) and random ones, so id fields reach the database. */
  ids: string[]
  cursors: string[]
  /** Plausible values only (no noise, no hostile strings): for finding inputs that pass parsing. */
  plausible?: boolean
}

/** What people type: enough variety to satisfy most schemas (names, phones, e-mails, days, amounts, codes). */
const plausibleStrings = [
  'Ana Souza',
  'Teste',
  '+55 11 98765-4321',
  '11 91234-5678',
  'ana@example.test',
  '2024-05-01',
  '2024-05-31',
  '350.000,00',
  '72,5',
  '3',
  'AP0042',
  'Pinheiros',
  'pt-BR',
  'en',
  'sale',
  'buy',
  'q=Ana',
  'hello_world',
  'pt_BR',
  '123456789012',
  'um texto qualquer',
]

/** The values one field at a time is replaced with, in an otherwise valid input. */
const leafMutations: unknown[] = [
  'a\u0000b',
  '\ud800',
  'x'.repeat(5000),
  '99999-01-01',
  '2024-02-30',
  1e308,
  99_999_999.995,
]

/** Every input that differs from `value` in exactly one leaf, replaced by each of `leafMutations`. */
export function mutateLeaves(value: unknown): unknown[] {
  const out: unknown[] = []
  const visit = (v: unknown, replace: (x: unknown) => unknown) => {
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, (x) => replace(v.map((y, j) => (j === i ? x : y)))))
    else if (isRecord(v)) for (const k of Object.keys(v)) visit(v[k], (x) => replace({ ...v, [k]: x }))
    else for (const m of leafMutations) out.push(replace(m))
  }
  visit(value, (x) => x)
  return out
}

type Def = { type: string; [k: string]: unknown }
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def

const hostileString = fc.constantFrom(...hostileStrings)
const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(...hostileNumbers),
  hostileString,
  fc.constant([]),
  fc.constant({}),
)

function stringArb(def: Def, pools: Pools): fc.Arbitrary<unknown> {
  const format = def.format as string | undefined
  if (pools.plausible)
    return format === 'uuid' || format === 'guid'
      ? fc.constantFrom(...pools.ids)
      : format === 'email'
        ? fc.constant('ana@example.test')
        : fc.constantFrom(...plausibleStrings)
  if (format === 'uuid' || format === 'guid')
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...pools.ids) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: hostileString },
    )
  if (format === 'email') return fc.oneof(fc.emailAddress(), hostileString, fc.constant('Fulano@Example.TEST'))
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom(...pools.cursors) },
  )
}

/** An arbitrary for one zod schema; `depth` stops recursive schemas from growing without end. */
function arbitraryFor(schema: z.ZodType | undefined, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 8) return jsonish
  const def = defOf(schema)
  const inner = (s: unknown) => arbitraryFor(s as z.ZodType, pools, depth + 1)
  // Now and then anything at all stands where the schema expects something specific.
  const withNoise = (arb: fc.Arbitrary<unknown>) =>
    pools.plausible ? arb : fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: jsonish })
  switch (def.type) {
    case 'string':
      return stringArb(def, pools)
    case 'number':
    case 'bigint':
      if (pools.plausible) return fc.integer({ min: 0, max: 10 })
      return withNoise(
        fc.oneof(
          fc.integer({ min: -5, max: 200 }),
          fc.constantFrom(...hostileNumbers),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
      )
    case 'boolean':
      return withNoise(fc.boolean())
    case 'date':
      if (pools.plausible) return fc.constantFrom('2024-05-01T12:00:00.000Z', '2025-01-31T00:00:00.000Z')
      return fc.oneof(
        fc
          .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        hostileString,
        fc.constantFrom(...hostileNumbers),
      )
    case 'enum':
      return withNoise(fc.constantFrom(...Object.values(def.entries as Record<string, string>)))
    case 'literal':
      return withNoise(fc.constantFrom(...(def.values as unknown[])))
    case 'null':
      return fc.constant(null)
    case 'undefined':
    case 'void':
      return fc.constant(undefined)
    case 'optional':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return fc.oneof(fc.constant(undefined), inner(def.innerType))
    case 'nullable':
      return fc.oneof(fc.constant(null), inner(def.innerType))
    case 'default':
    case 'prefault':
      return fc.oneof(fc.constant(undefined), inner(def.innerType))
    case 'pipe':
      return def.in && defOf(def.in).type !== 'transform' ? inner(def.in) : inner(def.out)
    case 'transform':
      return pools.plausible ? fc.constantFrom(...plausibleStrings) : jsonish
    case 'lazy':
      return inner((def.getter as () => unknown)())
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(inner))
    case 'intersection':
      return fc
        .tuple(inner(def.left), inner(def.right))
        .map(([l, r]) => (isRecord(l) && isRecord(r) ? { ...l, ...r } : l))
    case 'tuple':
      return withNoise(fc.tuple(...(def.items as unknown[]).map(inner)))
    case 'array':
      if (pools.plausible) return fc.array(inner(def.element), { maxLength: 2 })
      return withNoise(
        fc.oneof(
          { weight: 5, arbitrary: fc.array(inner(def.element), { maxLength: 3 }) },
          { weight: 1, arbitrary: fc.array(inner(def.element), { minLength: 101, maxLength: 120 }) },
        ),
      )
    case 'record':
      return withNoise(fc.dictionary(fc.string({ maxLength: 10 }), inner(def.valueType), { maxKeys: 3 }))
    case 'object': {
      const shape = def.shape as Record<string, unknown>
      const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, inner(v)]))
      return withNoise(fc.record(fields, { requiredKeys: [] }))
    }
    default:
      return jsonish
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** An input for a procedure whose schemas tRPC merges (`.input(a).input(b)`), or none when it takes none. */
export function procedureInput(inputs: unknown[], pools: Pools): fc.Arbitrary<unknown> {
  if (inputs.length === 0) return pools.plausible ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), jsonish)
  if (inputs.length === 1) return arbitraryFor(inputs[0] as z.ZodType, pools)
  return fc
    .tuple(...inputs.map((s) => arbitraryFor(s as z.ZodType, pools)))
    .map((parts) => Object.assign({}, ...parts.filter(isRecord)))
}

/**
 * What an error body must never carry: SQL as the app sends it (Drizzle quotes identifiers), driver and database
 * messages, a stack frame, a file path. Written to match those and not the app's own words ("select a client from…").
 */
export const leakPattern =
  /Failed query|params:|\bselect\b[^<]{0,200}\bfrom\s+"\w+"|insert into "\w+"|update "\w+" set|delete from "\w+"|\bat\s+\S+\s+\((\/|file:|node:)|node_modules|\/work\/|\.tsx?:\d+:\d+|duplicate key value|violates \S+ constraint|syntax error at or near|PostgresError|DrizzleQueryError|ZodError/i

/**
 * A few inputs the procedure's own schemas accept, found by sampling plausible values: the starting points for
 * one-field-at-a-time mutations, so a hostile value reaches the service with everything around it valid.
 */
export function validInputs(inputs: unknown[], pools: Pools, count = 1): unknown[] {
  const candidates = fc.sample(procedureInput(inputs, { ...pools, plausible: true }), { numRuns: 400, seed: 42 })
  const accepted = candidates.filter((c) => inputs.every((schema) => (schema as z.ZodType).safeParse(c).success))
  const distinct = [...new Map(accepted.map((c) => [JSON.stringify(c), c])).values()]
  // The richest inputs first: more fields to mutate.
  return distinct.sort((a, b) => JSON.stringify(b ?? '').length - JSON.stringify(a ?? '').length).slice(0, count)
}
