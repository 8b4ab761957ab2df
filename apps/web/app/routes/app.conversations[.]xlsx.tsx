import type { LoaderFunctionArgs } from '@remix-run/node'
import { xlsxResponse, conversationExportTable } from '../lib/list-export.server'
import { requirePermission } from '../lib/session.server'

/** The inbox as an Excel workbook ("Exportar XLSX"): the same table as its CSV (lib/list-export.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.read')
  return xlsxResponse(await conversationExportTable(context, request))
}
