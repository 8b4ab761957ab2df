import type { Translate } from '../i18n'

/** A lead's qualification slots in the order people read them (the lead page's card and the CSV export). */
export const qualificationSlots = [
  'purpose',
  'propertyTypes',
  'locations',
  'minBedrooms',
  'parkingSpaces',
  'budgetMin',
  'budgetMax',
  'financing',
  'moveIn',
] as const
export type QualificationSlot = (typeof qualificationSlots)[number]

/** A slot's value in words; money through the caller's formatter (the page shows currency, the CSV a number). */
export function slotValue<M>(
  t: Translate,
  slot: QualificationSlot,
  value: unknown,
  money: (cents: number) => M,
): string | number | M {
  switch (slot) {
    case 'purpose':
      return t(`ai.qualification.purpose.${value as 'buy'}`)
    case 'propertyTypes':
      return (value as string[]).map((v) => t(`leads.propertyTypeNames.${v as 'house'}`)).join(', ')
    case 'locations':
      return (value as string[]).join(', ')
    case 'budgetMin':
    case 'budgetMax':
      return money(value as number)
    case 'financing':
      return t(`ai.qualification.financing.${value as 'fgts'}`)
    case 'moveIn':
      return t(`ai.qualification.moveIn.${value as 'now'}`)
    default:
      return value as number
  }
}

/** Who set a slot: "pela IA", "por uma pessoa", "importado". */
export function slotSource(t: Translate, source: 'person' | 'bot' | 'import') {
  return t(
    source === 'bot'
      ? 'ai.qualification.sourceBot'
      : source === 'import'
        ? 'ai.qualification.sourceImport'
        : 'ai.qualification.sourcePerson',
  )
}
