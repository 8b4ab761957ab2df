import { portalKinds } from '@impera/db/enums'
import { z } from 'zod'

/** Which portal's connection (decision 022); one today, the group that runs ZAP Imóveis, Viva Real and OLX. */
export const ZPortalInput = z.object({ portal: z.enum(portalKinds).default('grupo_olx') })
export type TPortalInput = z.output<typeof ZPortalInput>
