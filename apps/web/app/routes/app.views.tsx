import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { listNames, type ListName } from '@impera/api/schemas'
import { readForm, runAction } from '../lib/actions.server'
import { requirePermission } from '../lib/session.server'

/** Where each list lives, to open a view after saving it. */
const listPaths: Record<ListName, string> = {
  leads: '/app/leads',
  clients: '/app/clients',
  properties: '/app/properties',
  conversations: '/app/inbox',
}

export async function loader() {
  return redirect('/app')
}

/** Saved views: create, update (name or filters) and delete, then open the result (or the bare list). */
export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'records.read')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const list = listNames.find((name) => name === fd.get('list')) ?? 'leads'
  const text = (key: string) => {
    const v = fd.get(key)
    return typeof v === 'string' ? v : undefined
  }
  const opened = (v: { id: string; query: string }) =>
    redirect(`${listPaths[list]}?${v.query}${v.query ? '&' : ''}view=${v.id}`)
  switch (fd.get('intent')) {
    case 'create':
      return runAction(
        context,
        () =>
          caller.views.create({
            list,
            name: text('name') ?? '',
            query: text('query') ?? '',
            shared: fd.get('shared') === 'on',
          }),
        opened,
      )
    case 'update':
      return runAction(
        context,
        () => caller.views.update({ id: text('id') ?? '', name: text('name'), query: text('query') }),
        opened,
      )
    case 'delete':
      return runAction(
        context,
        () => caller.views.delete({ id: text('id') ?? '' }),
        () => redirect(listPaths[list]),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}
