import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { Card, CardContent } from '@impera/ui'
import { LeadForm, leadFormInput } from '../components/lead-form'
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
    () =>
      caller.leads.create({
        data: leadFormInput(fd),
        allowDuplicate: fd.get('allowDuplicate') === 'true',
        distribute: fd.get('assignedTo') === 'auto',
      }),
    (lead) => redirect(`/app/leads/${lead.id}?created=1`),
  )
}

export default function NewLead() {
  const t = useT()
  const { assignees, canAssignOthers, me } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-4">
      <PageHeader back={{ to: '/app/leads', label: t('leads.title') }} title={t('leads.new')} />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <LeadForm
            assignees={assignees}
            canAssignOthers={canAssignOthers}
            me={me}
            result={result}
            submitLabel={t('leads.save')}
          />
        </CardContent>
      </Card>
    </div>
  )
}
