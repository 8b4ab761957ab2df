import { leadInterests, propertyTypes } from '@impera/db/enums'
import { z } from 'zod'
import { zText } from '../schemas/common'

/**
 * A lead's qualification (issue 15): what the AI runner, the external agent's turns, imports and people fill in about
 * what a lead wants. Names follow the lead's own fields where they exist (`propertyTypes`, `locations`, `minBedrooms`,
 * `budgetMin`, `budgetMax`; `purpose` is the lead's `interest`), so writing them back is a plain copy.
 */
export const financingKinds = ['financing', 'fgts', 'cash', 'unknown'] as const
export type FinancingKind = (typeof financingKinds)[number]
export const moveInTimeframes = ['now', 'up_to_3_months', 'up_to_6_months', 'up_to_12_months', 'later'] as const
export type MoveInTimeframe = (typeof moveInTimeframes)[number]
/** Who set a slot: a `person` (a member editing the lead), the `bot` (read from the conversation), an `import`. */
export const slotSources = ['person', 'bot', 'import'] as const
export type SlotSource = (typeof slotSources)[number]

const zCount = z.number().int().min(0).max(20)
const zMoney = z.number().int().min(0).max(1e13)
const MAX_LOCATIONS = 20

const valueShape = {
  purpose: z.enum(leadInterests),
  propertyTypes: z.array(z.enum(propertyTypes)).max(propertyTypes.length),
  locations: z.array(zText().trim().min(1).max(80)).max(MAX_LOCATIONS),
  minBedrooms: zCount,
  parkingSpaces: zCount,
  /** Integer cents, like every amount of money in the API. */
  budgetMin: zMoney,
  budgetMax: zMoney,
  financing: z.enum(financingKinds),
  moveIn: z.enum(moveInTimeframes),
}

/** The slots' plain values, every one optional: what one message yields, or what is known so far. */
export const ZQualificationValues = z
  .object(valueShape)
  .partial()
  .refine((v) => v.budgetMin === undefined || v.budgetMax === undefined || v.budgetMin <= v.budgetMax, {
    path: ['budgetMax'],
    message: 'validation.budgetRange',
  })
export type QualificationValues = z.infer<typeof ZQualificationValues>

export type Slot<T> = { value: T; source: SlotSource }
export const zSlot = <T extends z.ZodType>(value: T) => z.object({ value, source: z.enum(slotSources) })

/** What is stored on a lead: each known slot with where it came from, so a person's edit is never overwritten. */
export const ZQualification = z
  .object({
    purpose: zSlot(valueShape.purpose),
    propertyTypes: zSlot(valueShape.propertyTypes),
    locations: zSlot(valueShape.locations),
    minBedrooms: zSlot(valueShape.minBedrooms),
    parkingSpaces: zSlot(valueShape.parkingSpaces),
    budgetMin: zSlot(valueShape.budgetMin),
    budgetMax: zSlot(valueShape.budgetMax),
    financing: zSlot(valueShape.financing),
    moveIn: zSlot(valueShape.moveIn),
  })
  .partial()
export type Qualification = z.infer<typeof ZQualification>

/** The questions that fill the slots, in the order the `rules` provider asks them (see next-question.ts). */
export const qualificationQuestions = [
  'purpose',
  'propertyType',
  'location',
  'budget',
  'bedrooms',
  'financing',
  'moveIn',
] as const
export type QualificationQuestion = (typeof qualificationQuestions)[number]

/** The plain values of a stored qualification. */
export function valuesOf(q: Qualification): QualificationValues {
  const out: Record<string, unknown> = {}
  for (const [name, slot] of Object.entries(q)) if (slot) out[name] = slot.value
  return out as QualificationValues
}

/**
 * Applies values found by `source` to a stored qualification. A person's slot is kept against the bot and imports (a
 * person's edit wins); anything else is replaced, except that the bot's lists grow (a lead who names Pinheiros and then
 * Perdizes wants both).
 */
export function applySlots(current: Qualification, found: QualificationValues, source: SlotSource): Qualification {
  const next: Record<string, Slot<unknown>> = { ...current }
  for (const [name, value] of Object.entries(found)) {
    if (value === undefined) continue
    const held = next[name]
    if (held && held.source === 'person' && source !== 'person') continue
    if (Array.isArray(value) && held && held.source === source && Array.isArray(held.value)) {
      next[name] = { value: [...new Set([...held.value, ...value])].slice(0, MAX_LOCATIONS), source }
    } else {
      next[name] = { value, source }
    }
  }
  return next as Qualification
}
