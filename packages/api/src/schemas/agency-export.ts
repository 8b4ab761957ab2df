import { z } from 'zod'
import { zUuid } from './common'

/** The CSVs' separator: `;` for spreadsheets set to a comma decimal mark (pt-BR), `,` elsewhere. */
export const ZRequestAgencyExportInput = z.object({ separator: z.enum([';', ',']).default(';') })
export type TRequestAgencyExportInput = z.infer<typeof ZRequestAgencyExportInput>

export const ZAgencyExportIdInput = z.object({ id: zUuid })
export type TAgencyExportIdInput = z.infer<typeof ZAgencyExportIdInput>
