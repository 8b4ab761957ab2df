import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useI18n } from '../i18n'
import { WebhookEndpoints } from '../components/webhook-endpoints'
import { readForm, runAction } from '../lib/actions.server'
import { fromForm, type RouterInputs } from '../lib/forms'
import { requirePermission } from '../lib/session.server'

/** Settings → Webhooks: the agency's outgoing webhook endpoints (decision 018), for managers. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'integrations.manage')
  const caller = await context.scope.caller()
  const [endpoints, integrations] = await Promise.all([caller.webhooks.list(), caller.integrations.list()])
  return {
    endpoints,
    integrations: integrations.map((i) => ({ id: i.id, name: i.name, revokedAt: i.revokedAt })),
  }
}

const updatedTypes = ['lead.updated', 'client.updated', 'property.updated'] as const

/** The endpoint fields of the create and edit forms, as the procedures take them. */
function endpointFields(fd: FormData) {
  const text = (k: string) => String(fd.get(k) ?? '')
  return {
    url: text('url'),
    description: text('description') || null,
    eventTypes: fd.getAll('eventTypes').map(String),
    updatedFields: Object.fromEntries(updatedTypes.map((type) => [type, fd.getAll(`fields:${type}`).map(String)])),
    integrationId: text('integrationId') || null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'integrations.manage')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const id = String(fd.get('id') ?? '')
  switch (fd.get('intent')) {
    case 'create':
      return runAction(
        context,
        () => caller.webhooks.create(fromForm<RouterInputs['webhooks']['create']>(endpointFields(fd))),
        // The one answer that carries the secret; the page never reads it back.
        (r) => ({ ok: true, message: 'webhooks.created', meta: { secret: r.secret } }),
      )
    case 'update':
      return runAction(
        context,
        () => caller.webhooks.update(fromForm<RouterInputs['webhooks']['update']>({ id, ...endpointFields(fd) })),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'rotate':
      return runAction(
        context,
        () => caller.webhooks.rotateSecret({ id }),
        (r) => ({ ok: true, meta: { secret: r.secret, until: r.previousSecretExpiresAt.toISOString() } }),
      )
    case 'enable':
    case 'disable': {
      const enabled = fd.get('intent') === 'enable'
      return runAction(
        context,
        () => caller.webhooks.setEnabled({ id, enabled }),
        () => ({ ok: true, message: enabled ? 'webhooks.enabledToast' : 'webhooks.disabledToast' }),
      )
    }
    case 'delete':
      return runAction(
        context,
        () => caller.webhooks.delete({ id }),
        () => ({ ok: true, message: 'webhooks.deleted' }),
      )
    case 'test':
      return runAction(
        context,
        () => caller.webhooks.sendTest({ id }),
        () => ({ ok: true, message: 'webhooks.testSent' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

export default function WebhooksSettings() {
  const { t } = useI18n()
  const { endpoints, integrations } = useLoaderData<typeof loader>()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <nav aria-label={t('settings.more')} className="flex flex-wrap gap-2 text-sm">
        <Link to="/app/settings" className="underline">
          {t('nav.settings')}
        </Link>
        <Link to="/app/settings/integrations" className="underline">
          {t('integrations.title')}
        </Link>
      </nav>
      <WebhookEndpoints endpoints={endpoints} integrations={integrations} heading="h1" />
    </div>
  )
}
