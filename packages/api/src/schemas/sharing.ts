import { z } from 'zod'
import { zUuid } from './common'

/** A listing shared with a lead (issue 16): as a link, or sent to the lead's WhatsApp conversation. */
export const ZSharePropertyInput = z.object({ propertyId: zUuid, leadId: zUuid })
export type TSharePropertyInput = z.infer<typeof ZSharePropertyInput>
