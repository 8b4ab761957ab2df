import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react'
import type { en } from './en'
import { dateTimeFormat } from '../lib/intl'

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
export type Messages = Widen<typeof en>
export const locales = ['pt-BR', 'en'] as const
export type Locale = (typeof locales)[number]

/**
 * The catalogs in memory. Each is a quarter of a page's first-load JavaScript, so the browser loads only the reader's
 * (entry.client.tsx, before hydrating; root.tsx preloads it) and another only if they switch; the server registers
 * both at start (catalogs.server.ts).
 */
const dictionaries: Partial<Record<Locale, Messages>> = {}
const catalogLoaders: Record<Locale, () => Promise<Messages>> = {
  'pt-BR': () => import('./pt-BR').then((m) => m.ptBR),
  en: () => import('./en').then((m) => m.en),
}

export function registerCatalog(locale: Locale, messages: Messages) {
  dictionaries[locale] = messages
}
export const hasCatalog = (locale: Locale) => dictionaries[locale] !== undefined
export async function loadCatalog(locale: Locale): Promise<void> {
  dictionaries[locale] ??= await catalogLoaders[locale]()
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (locales as readonly string[]).includes(v)
}

/** Picks pt-BR or en from an Accept-Language header; pt-BR (our first market) when nothing matches. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return 'pt-BR'
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase()
    if (tag.startsWith('pt')) return 'pt-BR'
    if (tag.startsWith('en')) return 'en'
  }
  return 'pt-BR'
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string

/**
 * Looks a dotted key up (`members.invited`). Keys coming from the API (validation and error messages) are translated
 * the same way; an unknown key falls back to itself, which a unit test prevents for every key the API can send.
 */
export function translator(locale: Locale): Translate {
  return (key, vars) => {
    const dict = dictionaries[locale]
    const found = key
      .split('.')
      .reduce<unknown>(
        (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
        dict,
      )
    const text = typeof found === 'string' ? found : key
    return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text
  }
}

export function hasKey(locale: Locale, key: string): boolean {
  return translator(locale)(key) !== key
}

/** Where times are shown outside any agency (platform staff, the development mailbox): the agencies' default zone. */
export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo'

/**
 * The reader's language and the zone times are shown in. The zone is the agency's (set by the shell, TimeZone below),
 * never the browser's: the server renders the same text the browser hydrates, and everyone in an agency reads its
 * times alike.
 */
export const I18nContext = createContext<{ locale: Locale; t: Translate; timeZone?: string }>({
  locale: 'pt-BR',
  t: translator('pt-BR'),
})

export function useI18n() {
  const { locale, t, timeZone = DEFAULT_TIME_ZONE } = useContext(I18nContext)
  return useMemo(
    () => ({ locale, t, timeZone, dateTime: (value: Date | string) => formatDateTime(locale, value, timeZone) }),
    [locale, t, timeZone],
  )
}
export const useT = () => useContext(I18nContext).t

/** Shows the times below in `zone` (the agency's). */
export function TimeZone({ zone, children }: { zone: string; children: ReactNode }) {
  const outer = useContext(I18nContext)
  const value = useMemo(() => ({ ...outer, timeZone: zone }), [outer, zone])
  return createElement(I18nContext.Provider, { value }, children)
}

/** A date and time, short, in the reader's locale and the given zone (components use useI18n().dateTime). */
function formatDateTime(locale: Locale, value: Date | string, timeZone: string): string {
  return dateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(value))
}

/** A calendar date (YYYY-MM-DD, no time zone) in the reader's format: 29/02/1980 or 2/29/1980. */
export function formatDate(locale: Locale, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number)
  return dateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)))
}
