import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { Card, CardContent } from '@impera/ui'
import { ClientForm, clientFormInput } from '../components/client-form'
import { useT } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.write')
  const { assignees } = await recordsPageContext(context)
  return { assignees, canAssignOthers: role === 'manager', me: identity.userId }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  return runAction(
    context,
    () => caller.clients.create({ data: clientFormInput(fd) }),
    (client) => redirect(`/app/clients/${client.id}?created=1`),
  )
}

export default function NewClient() {
  const t = useT()
  const { assignees, canAssignOthers, me } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-4">
      <PageHeader back={{ to: '/app/clients', label: t('clients.title') }} title={t('clients.new')} />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <ClientForm
            assignees={assignees}
            canAssignOthers={canAssignOthers}
            me={me}
            result={result}
            submitLabel={t('clients.save')}
          />
        </CardContent>
      </Card>
    </div>
  )
}
