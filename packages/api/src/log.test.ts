import { DrizzleQueryError } from 'drizzle-orm/errors'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { serializeError } from './log'

describe('serializeError', () => {
  it('keeps the SQL and the SQLSTATE of a failed query, never its bound values', () => {
    const pg = Object.assign(
      new postgres.PostgresError({
        message: 'duplicate key value violates unique constraint "clients_agency_document_key"',
      } as never),
      {
        code: '23505',
        severity: 'ERROR',
        detail: 'Key (agency_id, document)=(0e7…, 52998224725) already exists.',
        constraint_name: 'clients_agency_document_key',
        table_name: 'clients',
      },
    )
    const wrapped = new DrizzleQueryError(
      'insert into "clients" ("name", "document") values ($1, $2)',
      ['Ana Souza', '52998224725'],
      pg,
    )
    const out = JSON.stringify(serializeError(new Error('procedure failed', { cause: wrapped })))
    expect(out).toContain('insert into \\"clients\\"')
    expect(out).toContain('23505')
    expect(out).toContain('clients_agency_document_key')
    expect(out).not.toContain('Ana Souza')
    expect(out).not.toContain('52998224725')
  })

  it('drops input values Postgres quotes in its own messages', () => {
    const pg = Object.assign(
      new postgres.PostgresError({ message: 'invalid input syntax for type uuid: "+5511987654321"' } as never),
      { code: '22P02', severity: 'ERROR' },
    )
    const out = JSON.stringify(serializeError(pg))
    expect(out).toContain('22P02')
    expect(out).not.toContain('5511987654321')
  })

  it('leaves other errors as they are, with their causes', () => {
    expect(serializeError(new TypeError('x is not a function', { cause: new Error('deeper') }))).toMatchObject({
      type: 'TypeError',
      message: 'x is not a function',
      cause: { message: 'deeper' },
    })
    expect(serializeError('plain')).toBe('plain')
  })
})
