import type { LoaderFunctionArgs } from '@remix-run/node'
import { csvResponse, conversationExportTable } from '../lib/list-export.server'
import { requirePermission } from '../lib/session.server'

/** The inbox as CSV ("Exportar CSV"), with its current filters and order (lib/list-export.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.read')
  return csvResponse(await conversationExportTable(context, request), request)
}
