import { qualificationQuestions, type QualificationQuestion, type QualificationValues } from './qualification'

/**
 * What the `rules` provider asks next (issue 15): one missing qualification question at a time, in a fixed order —
 * what the lead wants to do first, then what and where, then the money, then the details a person could also ask.
 */
export type NextQuestion = { key: QualificationQuestion; text: string }

/** Whether what is known answers a question (the rules agent also reads it: an unanswered question counts). */
export const answered: Record<QualificationQuestion, (v: QualificationValues) => boolean> = {
  purpose: (v) => v.purpose !== undefined,
  propertyType: (v) => (v.propertyTypes?.length ?? 0) > 0,
  location: (v) => (v.locations?.length ?? 0) > 0,
  budget: (v) => v.budgetMax !== undefined || v.budgetMin !== undefined,
  bedrooms: (v) => v.minBedrooms !== undefined,
  financing: (v) => v.financing !== undefined,
  moveIn: (v) => v.moveIn !== undefined,
}

/** Questions that make no sense for what is known: bedrooms of a plot or a shop, financing of a rental. */
const applies: Partial<Record<QualificationQuestion, (v: QualificationValues) => boolean>> = {
  bedrooms: (v) => !v.propertyTypes?.length || v.propertyTypes.some((t) => t !== 'land' && t !== 'commercial'),
  financing: (v) => v.purpose !== 'rent',
}

function questionText(key: QualificationQuestion, v: QualificationValues): string {
  switch (key) {
    case 'purpose':
      return 'Você procura um imóvel para comprar ou para alugar?'
    case 'propertyType':
      return 'Que tipo de imóvel você procura: apartamento, casa, terreno, sala comercial…?'
    case 'location':
      return 'Em quais bairros ou cidades você gostaria que fosse o imóvel?'
    case 'budget':
      if (v.purpose === 'rent') return 'Até quanto você pode pagar de aluguel por mês?'
      if (v.purpose === 'buy') return 'Até quanto você pretende investir no imóvel?'
      return 'Qual é o valor máximo que você tem em mente para o imóvel?'
    case 'bedrooms':
      return 'Quantos quartos você precisa, no mínimo?'
    case 'financing':
      return 'Como você pretende pagar: financiamento, FGTS ou à vista?'
    case 'moveIn':
      return v.purpose === 'rent' ? 'Para quando você precisa do imóvel?' : 'Para quando você pretende se mudar?'
  }
}

/**
 * The first question whose slot is still empty, or null when nothing is left to ask. `skip` lists questions not to ask
 * again (the runner passes those it asked that went unanswered, so a lead who ignores the budget is not asked it twice).
 */
export function nextQuestion(
  known: QualificationValues,
  { skip = [] }: { skip?: readonly QualificationQuestion[] } = {},
): NextQuestion | null {
  const key = qualificationQuestions.find(
    (q) => !skip.includes(q) && !answered[q](known) && (applies[q]?.(known) ?? true),
  )
  return key ? { key, text: questionText(key, known) } : null
}

/**
 * Qualified enough to hand over to a person: we know whether they buy or rent, what or where (a type or a place), and
 * how much. Bedrooms, financing and timeframe help the agent but are quicker asked by a person than by a bot.
 */
export function isQualified(known: QualificationValues): boolean {
  return answered.purpose(known) && (answered.propertyType(known) || answered.location(known)) && answered.budget(known)
}
