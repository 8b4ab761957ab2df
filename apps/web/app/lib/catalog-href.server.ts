import catalogs from 'virtual:i18n-catalogs'
import type { Locale } from '../i18n'

/** The built URL of a language's catalog module (vite.config.ts records them); none in development. */
export function catalogHref(locale: Locale): string | undefined {
  return (catalogs as Partial<Record<Locale, string>>)[locale]
}
