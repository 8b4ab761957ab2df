import { describe, expect, it } from 'vitest'
import { safeRedirect } from './cookies.server'

describe('safeRedirect', () => {
  it.each([
    ['/app/leads?status=new', '/app/leads?status=new'],
    ['/app/leads#notes', '/app/leads#notes'],
    ['/app/leads/../clients', '/app/clients'],
    ['/😀', '/%F0%9F%98%80'],
    ['/busca?q=ação', '/busca?q=a%C3%A7%C3%A3o'],
    ['/a b', '/a%20b'],
  ])('keeps a path on this site: %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected)
  })

  it.each([
    ['//evil.example'],
    ['/\\evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['/\r\n/evil.example'],
    ['/ /evil.example'.replace(' ', '\u0009')],
    ['/\\/evil.example'],
    ['/.//evil.example'],
    ['/%2F/evil.example'.replace('%2F', '/')],
    ['https://evil.example'],
    ['http:evil.example'],
    ['javascript:alert(1)'],
    ['evil.example'],
    [''],
    [' /app'],
    ['\\\\evil.example'],
  ])('refuses what would leave the site: %j', (input) => {
    const out = safeRedirect(input, '/app')
    expect(new URL(out, 'https://crm.example').host).toBe('crm.example')
    expect(out.startsWith('//')).toBe(false)
  })

  it('falls back for anything that is not a string', () => {
    expect(safeRedirect(null)).toBe('/app')
    expect(safeRedirect(undefined, '/')).toBe('/')
  })
})
