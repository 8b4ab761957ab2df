import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

/**
 * Phone numbers are stored in E.164. Brazilian mobiles gained a leading 9 in 2012-2016, and people still type and
 * save them both ways: a BR number with a two-digit area code and an 8-digit subscriber starting 6-9 is an old-format
 * mobile, so we insert the 9. Both spellings then normalise to the same value, which is what duplicate detection and
 * WhatsApp matching compare.
 */
export function normalizePhone(raw: string, defaultCountry: string): string | null {
  const trimmed = raw.trim()
  if (!/\d/.test(trimmed) || trimmed.replace(/\D/g, '').length < 8) return null
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry as CountryCode)
  if (!parsed) return null
  if (parsed.countryCallingCode === '55') {
    const national = parsed.nationalNumber
    if (/^[1-9]{2}[6-9]\d{7}$/.test(national)) return `+55${national.slice(0, 2)}9${national.slice(2)}`
  }
  return parsed.isPossible() ? parsed.number : null
}

/** Every phone a person typed, normalised; the first one that cannot be read is reported by index. */
export function normalizePhones(
  raws: readonly string[],
  defaultCountry: string,
): { ok: true; phones: string[] } | { ok: false; index: number } {
  const phones: string[] = []
  for (const [index, raw] of raws.entries()) {
    if (!raw.trim()) continue
    const n = normalizePhone(raw, defaultCountry)
    if (!n) return { ok: false, index }
    if (!phones.includes(n)) phones.push(n)
  }
  return { ok: true, phones }
}

/** Human display in the international or national format of the number's own country. */
export function formatPhone(e164: string, viewerCountry: string): string {
  const parsed = parsePhoneNumberFromString(e164)
  if (!parsed) return e164
  return parsed.country === viewerCountry ? parsed.formatNational() : parsed.formatInternational()
}
