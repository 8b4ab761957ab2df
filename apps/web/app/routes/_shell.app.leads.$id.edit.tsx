import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { Card, CardContent } from '@impera/ui'
import { LeadForm, leadFormInput } from '../components/lead-form'
import { useT } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.write')
  const { caller, assignees } = await recordsPageContext(context)
  // A missing or hidden record is the procedure's NOT_FOUND, answered 404 by server/remix-errors.ts; any other
  // failure keeps its own status (never caught here and turned into a 404).
  const detail = await caller.leads.get({ id: params.id! })
  if (!detail.canEdit) throw new Response('Forbidden', { status: 403 })
  return { lead: detail.lead, assignees, canAssignOthers: role === 'manager', me: identity.userId }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  return runAction(
    context,
    () =>
      caller.leads.update({
        id: params.id!,
        data: leadFormInput(fd),
        allowDuplicate: fd.get('allowDuplicate') === 'true',
      }),
    (lead) => redirect(`/app/leads/${lead.id}?saved=1`),
  )
}

export default function EditLead() {
  const t = useT()
  const { lead, assignees, canAssignOthers, me } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-4">
      <PageHeader back={{ to: `/app/leads/${lead.id}`, label: lead.name }} title={t('leads.edit')} />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <LeadForm
            initial={lead}
            assignees={assignees}
            canAssignOthers={canAssignOthers}
            me={me}
            result={result}
            submitLabel={t('common.save')}
          />
        </CardContent>
      </Card>
    </div>
  )
}
