/**
 * Brazilian taxpayer numbers: CPF (people, 11 digits) and CNPJ (companies, 14 digits), validated by their check
 * digits. Stored as digits only; formatted for display.
 */
export type DocumentKind = 'cpf' | 'cnpj'

function cpfValid(d: string): boolean {
  if (!/^\d{11}$/.test(d) || /^(\d)\1{10}$/.test(d)) return false
  const check = (len: number) => {
    let sum = 0
    for (let i = 0; i < len; i++) sum += Number(d[i]) * (len + 1 - i)
    const r = (sum * 10) % 11
    return r === 10 ? 0 : r
  }
  return check(9) === Number(d[9]) && check(10) === Number(d[10])
}

function cnpjValid(d: string): boolean {
  if (!/^\d{14}$/.test(d) || /^(\d)\1{13}$/.test(d)) return false
  const check = (len: number) => {
    const weights = len === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    const sum = weights.reduce((acc, w, i) => acc + w * Number(d[i]), 0)
    const r = sum % 11
    return r < 2 ? 0 : 11 - r
  }
  return check(12) === Number(d[12]) && check(13) === Number(d[13])
}

/** Digits of a valid CPF or CNPJ with its kind, or null. Accepts the usual punctuation (123.456.789-09, 12.345.678/0001-95). */
export function parseDocument(raw: string): { digits: string; kind: DocumentKind } | null {
  const digits = raw.replace(/[\s./-]/g, '')
  if (!/^\d+$/.test(digits)) return null
  if (digits.length === 11 && cpfValid(digits)) return { digits, kind: 'cpf' }
  if (digits.length === 14 && cnpjValid(digits)) return { digits, kind: 'cnpj' }
  return null
}

export function formatDocument(digits: string): string {
  if (digits.length === 11) return digits.replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, '$1.$2.$3-$4')
  if (digits.length === 14) return digits.replace(/(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})/, '$1.$2.$3/$4-$5')
  return digits
}
