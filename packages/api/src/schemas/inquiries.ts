import { leadSources } from '@impera/db/enums'
import { z } from 'zod'
import { zOptionalEmail, zText, zUuid } from './common'

const utmField = zText().trim().max(200).optional()

/**
 * A lead from a site form, a landing page, an ad connector or a portal bridge (decision 022), in the shape of Follow
 * Up Boss's events: who wrote, through what, about which listing, what they said, the campaign and their consent.
 */
export const ZLeadIntakeInput = z
  .object({
    source: z.enum(leadSources).default('website'),
    channel: zText().trim().min(1, 'validation.required').max(200, 'validation.tooLong').meta({
      description: 'How the contact came, as people say it ("Site", "Landing Jardins"): the lead\'s source detail.',
    }),
    person: z.object({
      name: zText().trim().max(120, 'validation.tooLong').nullish(),
      phones: z.array(zText().max(40, 'validation.tooLong')).max(5).default([]).meta({
        description: 'In any format; stored as E.164 (Brazilian mobiles with the 9th digit).',
      }),
      email: zOptionalEmail.optional(),
    }),
    property: z
      .union([z.object({ code: zText().trim().min(1).max(50) }), z.object({ id: zUuid })])
      .nullish()
      .meta({ description: "The listing the contact wrote about: the agency's own code, or its id." }),
    message: zText().max(5000, 'validation.tooLong').nullish(),
    utm: z
      .object({ source: utmField, medium: utmField, campaign: utmField, term: utmField, content: utmField })
      .nullish(),
    consent: z
      .object({
        marketing: z.boolean().meta({ description: 'Whether the person agreed to receive marketing.' }),
        text: zText().max(2000, 'validation.tooLong').nullish().meta({ description: 'The wording they agreed to.' }),
      })
      .nullish(),
  })
  .refine((v) => v.person.phones.some((p) => p.trim()) || !!v.person.email, {
    path: ['person', 'phones'],
    message: 'leads.contactRequired',
  })
  .meta({ id: 'LeadIntake' })
export type TLeadIntakeInput = z.output<typeof ZLeadIntakeInput>
