import { data, type ActionFunctionArgs, type AppLoadContext } from '@remix-run/node'
import { can, type AgencyRole } from '@impera/api/permissions'
import { ZListClientsInput, ZListLeadsInput, ZListPropertiesInput } from '@impera/api/schemas'
import type { z } from 'zod'
import { readForm, runAction } from './actions.server'
import { formText, fromForm, type FormResult, type RouterInputs } from './forms'
import {
  bulkFilterOf,
  clientListParams,
  leadListParams,
  parseListParams,
  propertyListParams,
  type ListParamSpec,
} from './list-params'
import { requirePermission } from './session.server'

export type BulkEntity = 'lead' | 'client' | 'property'

const lists: Record<BulkEntity, { schema: z.ZodTypeAny; spec: ListParamSpec }> = {
  lead: { schema: ZListLeadsInput, spec: leadListParams },
  client: { schema: ZListClientsInput, spec: clientListParams },
  property: { schema: ZListPropertiesInput, spec: propertyListParams },
}

/**
 * A list page's bulk action (decision 028), posted by its bulk bar: the ticked ids, or "all that match" with the
 * filters the page's loader applied; the action's fields by its kind. The API checks the rest (who may do what, to
 * which records) and answers field errors the bar shows.
 */
export async function runBulkAction(context: AppLoadContext, fd: FormData, entity: BulkEntity) {
  const caller = await context.scope.caller()
  const kind = formText(fd, 'kind')
  const action =
    kind === 'assign'
      ? { kind, assignedTo: formText(fd, 'assignedTo') || null }
      : kind === 'status'
        ? { kind, status: formText(fd, 'status'), lostReason: formText(fd, 'lostReason') || null }
        : kind === 'addTag' || kind === 'removeTag'
          ? { kind, tag: formText(fd, 'tag') }
          : { kind }
  // The filter is the list schema's input for this entity; the procedure parses it again.
  let selection: { filter: never } | { ids: string[] } = { ids: fd.getAll('id').map(String) }
  if (formText(fd, 'all') === '1') {
    const { schema, spec } = lists[entity]
    // Day filters are days in the agency's zone; only "all that match" needs it.
    const { timezone } = await caller.agency.get()
    const { input, ignored } = parseListParams(schema, new URLSearchParams(formText(fd, 'filter')), spec, timezone)
    // A filter that does not read back whole would select more than was shown: refuse rather than widen.
    if (ignored.length)
      return data<FormResult>({ ok: false, fieldErrors: { selection: ['bulk.filterUnreadable'] } }, { status: 400 })
    selection = { filter: input as never }
  }
  const ok = (operation: unknown): FormResult => ({ ok: true, meta: { operation } })
  switch (entity) {
    case 'lead':
      return runAction(
        context,
        () => caller.bulk.leads(fromForm<RouterInputs['bulk']['leads']>({ selection, action })),
        ok,
      )
    case 'client':
      return runAction(
        context,
        () => caller.bulk.clients(fromForm<RouterInputs['bulk']['clients']>({ selection, action })),
        ok,
      )
    case 'property':
      return runAction(
        context,
        () => caller.bulk.properties(fromForm<RouterInputs['bulk']['properties']>({ selection, action })),
        ok,
      )
  }
}

/** What a list page's loader gives its bulk bar: the filters "all that match" stands for, and who may do what. */
export function bulkListFields(
  { role, userId }: { role: AgencyRole; userId: string },
  params: URLSearchParams,
  filterKeys: readonly string[],
  ignored: string[],
) {
  return {
    bulkFilter: bulkFilterOf(params, filterKeys, ignored),
    canDelete: can(role, 'records.delete'),
    canWrite: can(role, 'records.write'),
    canAssignOthers: role === 'manager',
    me: userId,
  }
}

/** A list page's action: its bulk bar's one intent, on the ticked records or on all that match the page's filters. */
export function bulkListAction(entity: BulkEntity) {
  return async ({ request, context }: ActionFunctionArgs) => {
    await requirePermission(context, request, 'records.write')
    const fd = await readForm(request)
    if (fd.get('intent') !== 'bulk') return new Response('Unknown intent', { status: 400 })
    return runBulkAction(context, fd, entity)
  }
}
