import type { LeadTemperature, PropertyType } from '@impera/db/enums'
import type { QualificationValues } from './qualification'

/**
 * A lead's score from what is known of it (decision 020): 0–100, with the reasons that add up to it, and a temperature.
 * Knowing what, where and how much makes a lead workable; how soon and how they pay make it urgent. The weights are
 * few and plain on purpose: an agent must be able to read "why 75" off the reasons and agree.
 */
export type ScoreReason =
  | 'purpose'
  | 'propertyType'
  | 'location'
  | 'budget'
  | 'bedrooms'
  | 'payment'
  | 'moveInNow'
  | 'moveInSoon'
  | 'moveInLater'

const weights: Record<ScoreReason, number> = {
  purpose: 15,
  propertyType: 10,
  location: 10,
  budget: 20,
  bedrooms: 5,
  payment: 15,
  moveInNow: 25,
  moveInSoon: 15,
  moveInLater: 5,
}

export interface Score {
  score: number
  reasons: ScoreReason[]
  temperature: LeadTemperature
}

export function scoreQualification(v: QualificationValues): Score {
  const reasons: ScoreReason[] = []
  if (v.purpose) reasons.push('purpose')
  if (v.propertyTypes?.length) reasons.push('propertyType')
  if (v.locations?.length) reasons.push('location')
  if (v.budgetMax !== undefined || v.budgetMin !== undefined) reasons.push('budget')
  if (v.minBedrooms !== undefined) reasons.push('bedrooms')
  // Knowing how they pay (cash, FGTS or financing) says they have thought it through; "não sei" does not.
  if (v.financing && v.financing !== 'unknown') reasons.push('payment')
  if (v.moveIn === 'now' || v.moveIn === 'up_to_3_months') reasons.push('moveInNow')
  else if (v.moveIn === 'up_to_6_months') reasons.push('moveInSoon')
  else if (v.moveIn) reasons.push('moveInLater')
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + weights[r], 0),
  )
  return { score, reasons, temperature: temperatureOf(score) }
}

/** Quente from 70, morno from 40. */
export function temperatureOf(score: number): LeadTemperature {
  return score >= 70 ? 'hot' : score >= 40 ? 'warm' : 'cold'
}

const typeNames: Record<PropertyType, string> = {
  apartment: 'apartamento',
  house: 'casa',
  land: 'terreno',
  commercial: 'imóvel comercial',
  rural: 'imóvel rural',
  other: 'imóvel',
}
const moveInNames: Record<string, string> = {
  now: 'já',
  up_to_3_months: 'em até 3 meses',
  up_to_6_months: 'em até 6 meses',
  up_to_12_months: 'em até 12 meses',
  later: 'sem pressa',
}
const paymentNames: Record<string, string> = { financing: 'financiamento', fgts: 'FGTS', cash: 'à vista' }

/** "R$ 500 mil", "R$ 1,2 mi", "R$ 3.500" from integer cents. */
export function formatBrl(cents: number): string {
  const reais = cents / 100
  if (reais >= 1_000_000) return `R$ ${(reais / 1_000_000).toLocaleString('pt-BR', { maximumFractionDigits: 2 })} mi`
  if (reais >= 10_000) return `R$ ${(reais / 1000).toLocaleString('pt-BR', { maximumFractionDigits: 1 })} mil`
  return `R$ ${reais.toLocaleString('pt-BR', { maximumFractionDigits: 2 })}`
}

/**
 * A one-line summary of what the lead wants, in pt-BR (the bot's language): what a person reads first when the bot
 * hands the conversation over. Null when nothing is known yet.
 */
export function summarizeQualification(v: QualificationValues): string | null {
  const parts: string[] = []
  const what = v.propertyTypes?.length ? v.propertyTypes.map((t) => typeNames[t]).join(' ou ') : 'imóvel'
  if (v.purpose) parts.push(`${v.purpose === 'rent' ? 'Quer alugar' : 'Quer comprar'} ${what}`)
  else if (v.propertyTypes?.length) parts.push(`Procura ${what}`)
  if (v.locations?.length) parts.push(`em ${v.locations.join(', ')}`)
  if (v.minBedrooms !== undefined) parts.push(`${v.minBedrooms}+ quartos`)
  if (v.parkingSpaces !== undefined) parts.push(`${v.parkingSpaces}+ vagas`)
  if (v.budgetMax !== undefined) parts.push(`até ${formatBrl(v.budgetMax)}`)
  else if (v.budgetMin !== undefined) parts.push(`a partir de ${formatBrl(v.budgetMin)}`)
  if (v.financing && paymentNames[v.financing]) parts.push(`pagamento: ${paymentNames[v.financing]}`)
  if (v.moveIn) parts.push(`mudança ${moveInNames[v.moveIn]}`)
  return parts.length ? `${parts.join(', ')}.` : null
}
