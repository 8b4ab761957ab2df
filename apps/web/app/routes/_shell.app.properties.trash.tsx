import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PropertiesHeader } from '../components/properties-header'
import { TrashTable } from '../components/trash-table'
import { useT } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { requirePermission } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.delete')
  const caller = await context.scope.caller()
  return { items: await caller.properties.trash() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'records.delete')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  return runAction(
    context,
    () => caller.properties.restore({ id: String(fd.get('id') ?? '') }),
    () => ({ ok: true, message: 'properties.restored' }),
  )
}

export default function PropertyTrash() {
  const t = useT()
  const { items } = useLoaderData<typeof loader>()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PropertiesHeader canDelete />
      <TrashTable items={items} nameLabel={t('properties.titleField')} />
    </div>
  )
}
