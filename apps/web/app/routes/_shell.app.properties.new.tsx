import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { Card, CardContent } from '@impera/ui'
import { PropertyForm, propertyFormInput } from '../components/property-form'
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
    () => caller.properties.create({ data: propertyFormInput(fd) }),
    (p) => redirect(`/app/properties/${p.id}?created=1`),
  )
}

export default function NewProperty() {
  const t = useT()
  const { assignees, canAssignOthers, me } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-4">
      <PageHeader back={{ to: '/app/properties', label: t('properties.title') }} title={t('properties.new')} />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <PropertyForm
            owner={null}
            assignees={assignees}
            canAssignOthers={canAssignOthers}
            me={me}
            result={result}
            submitLabel={t('properties.save')}
          />
        </CardContent>
      </Card>
    </div>
  )
}
