import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasKey, localeFromAcceptLanguage, locales, translator } from './index'
import { registerServerCatalogs } from './catalogs.server'

registerServerCatalogs()

const apiSrc = path.resolve(__dirname, '../../../../packages/api/src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : []
  })
}

describe('i18n', () => {
  it('translates every message key the API can send, in every locale', () => {
    const keys = new Set<string>()
    // Audit action names (audit(ctx, 'lead.note.add', …)) are identifiers, not messages: audit.ts lists them all.
    const auditList = /auditActions = \[([^\]]*)\]/.exec(readFileSync(path.join(apiSrc, 'services/audit.ts'), 'utf8'))
    const auditActions = new Set([...(auditList?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]))
    expect(auditActions.size).toBeGreaterThan(20)
    // Permission names (members.invite…) in permissions.ts and permitted() calls are not messages.
    for (const f of files(apiSrc).filter(
      (f) => (!f.endsWith('permissions.ts') && !f.includes('/routers/')) || f.endsWith('profile.ts'),
    )) {
      // Report label namespaces (labels: 'leads.sources') name a group of messages, checked below value by value.
      const text = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => !/\blabels: '/.test(l))
        .join('\n')
      for (const m of text.matchAll(
        /'((?:validation|errors|members|invitations|admin|profile|leads|clients|properties|records|whatsapp|insights|webhooks|imports|tasks|distribution|bulk|sharing|quickReplies|push|consent|privacy|agencyExport)\.[A-Za-z_.]+[A-Za-z_])'/g,
      ))
        // File names in the exports ('leads.csv', 'leads.json') look like keys and are not.
        if (!auditActions.has(m[1]) && !/\.(csv|json|txt|zip)$/.test(m[1]!)) keys.add(m[1]!)
    }
    // Built dynamically from invitation states.
    for (const s of ['valid', 'expired', 'used', 'revoked', 'agency_suspended'])
      if (s !== 'valid') keys.add(`invitations.${s}`)
    expect(keys.size).toBeGreaterThan(20)
    const missing = locales.flatMap((l) => [...keys].filter((k) => !hasKey(l, k)).map((k) => `${l}:${k}`))
    expect(missing).toEqual([])
  })

  it('has every value of the enumerations reports label through a namespace', async () => {
    const { leadSources, leadStatuses, lostReasons, propertyTypes } = await import('@impera/api/schemas')
    const groups: Record<string, readonly string[]> = {
      'leads.sources': leadSources,
      'leads.statuses': leadStatuses,
      'leads.lostReasons': lostReasons,
      'properties.typeNames': propertyTypes,
      'properties.statuses': ['available', 'reserved', 'sold', 'rented', 'off_market'],
    }
    const missing = locales.flatMap((l) =>
      Object.entries(groups).flatMap(([ns, values]) =>
        values.filter((v) => !hasKey(l, `${ns}.${v}`)).map((v) => `${l}:${ns}.${v}`),
      ),
    )
    expect(missing).toEqual([])
  })

  it('interpolates variables and falls back to the key', () => {
    expect(translator('pt-BR')('members.invited', { email: 'a@b.c' })).toBe('Convite enviado para a@b.c.')
    expect(translator('en')('members.invited', { email: 'a@b.c' })).toBe('Invitation sent to a@b.c.')
    expect(translator('en')('no.such.key')).toBe('no.such.key')
  })

  it('picks the language from Accept-Language, defaulting to pt-BR', () => {
    expect(localeFromAcceptLanguage('en-US,en;q=0.9')).toBe('en')
    expect(localeFromAcceptLanguage('pt-PT,pt;q=0.9')).toBe('pt-BR')
    expect(localeFromAcceptLanguage('de-DE')).toBe('pt-BR')
    expect(localeFromAcceptLanguage(null)).toBe('pt-BR')
  })
})
