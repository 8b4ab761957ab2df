import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ClientsHeader } from '../components/clients-header'
import { TrashTable } from '../components/trash-table'
import { useT } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { requirePermission } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.delete')
  const caller = await context.scope.caller()
  return { items: await caller.clients.trash() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'records.delete')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  return runAction(
    context,
    () => caller.clients.restore({ id: String(fd.get('id') ?? '') }),
    () => ({ ok: true, message: 'clients.restored' }),
  )
}

export default function ClientTrash() {
  const t = useT()
  const { items } = useLoaderData<typeof loader>()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <ClientsHeader canDelete />
      <TrashTable items={items} nameLabel={t('clients.name')} />
    </div>
  )
}
