import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { Badge, Button, Card, CardContent, CardHeader, CardTitle, Field, Input, Textarea } from '@impera/ui'
import { useEffect, useRef, useState } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formCheckbox, formText, fromForm, type FormResult, type RouterInputs } from '../lib/forms'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

/**
 * Quick replies of the WhatsApp composer (issue 16's inbox): type `/` and the shortcut in a conversation. Managers keep
 * the agency's; everyone keeps their own.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const caller = await context.scope.caller()
  return { replies: await caller.quickReplies.list(), isManager: role === 'manager' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'records.write')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  switch (fd.get('intent')) {
    case 'save':
      return runAction(
        context,
        () =>
          caller.quickReplies.save(
            fromForm<RouterInputs['quickReplies']['save']>({
              id: formText(fd, 'id') || undefined,
              shortcut: formText(fd, 'shortcut'),
              body: formText(fd, 'body'),
              personal: formCheckbox(fd, 'personal'),
            }),
          ),
        () => ({ ok: true, message: 'quickReplies.saved' }),
      )
    case 'delete':
      return runAction(
        context,
        () => caller.quickReplies.delete({ id: formText(fd, 'id') }),
        () => ({ ok: true, message: 'quickReplies.deleted' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

type Reply = ReturnType<typeof useLoaderData<typeof loader>>['replies'][number]

export default function QuickReplies() {
  const { t } = useI18n()
  const { replies, isManager } = useLoaderData<typeof loader>()
  const [editing, setEditing] = useState<Reply | null>(null)
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <PageHeader
        back={{ to: '/app/inbox', label: t('nav.inbox') }}
        title={t('quickReplies.title')}
        description={<p className="text-sm text-muted-foreground">{t('quickReplies.intro')}</p>}
      />
      <Card>
        <CardHeader>
          <CardTitle>{editing ? t('quickReplies.edit') : t('quickReplies.new')}</CardTitle>
        </CardHeader>
        <CardContent>
          <ReplyForm key={editing?.id ?? 'new'} reply={editing} isManager={isManager} onDone={() => setEditing(null)} />
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          {replies.length ? (
            <ul className="flex flex-col divide-y" data-testid="quick-reply-list">
              {replies.map((r) => (
                <ReplyRow key={r.id} reply={r} canEdit={r.personal || isManager} onEdit={() => setEditing(r)} />
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted-foreground">{t('quickReplies.empty')}</p>
          )}
        </CardContent>
      </Card>
    </div>
  )
}

function ReplyForm({ reply, isManager, onDone }: { reply: Reply | null; isManager: boolean; onDone: () => void }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data?.ok) return
    form.current?.reset()
    onDone()
  }, [fetcher.state, fetcher.data, onDone])
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m)) ?? null
  return (
    <fetcher.Form ref={form} method="post" className="grid gap-3" noValidate>
      <input type="hidden" name="intent" value="save" />
      {reply ? <input type="hidden" name="id" value={reply.id} /> : null}
      <Field label={t('quickReplies.shortcut')} hint={t('quickReplies.shortcutHint')} errors={errors('shortcut')}>
        {(p) => <Input {...p} name="shortcut" defaultValue={reply?.shortcut ?? ''} maxLength={30} required />}
      </Field>
      <Field label={t('quickReplies.body')} hint={t('quickReplies.bodyHint')} errors={errors('body')}>
        {(p) => <Textarea {...p} name="body" rows={3} defaultValue={reply?.body ?? ''} maxLength={4096} required />}
      </Field>
      {isManager ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="personal" defaultChecked={reply?.personal ?? false} className="size-4" />
          {t('quickReplies.personal')}
        </label>
      ) : (
        <input type="hidden" name="personal" value="on" />
      )}
      <div className="flex gap-2">
        <Button type="submit" loading={fetcher.state !== 'idle'}>
          {t('common.save')}
        </Button>
        {reply ? (
          <Button type="button" variant="outline" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        ) : null}
      </div>
    </fetcher.Form>
  )
}

function ReplyRow({ reply, canEdit, onEdit }: { reply: Reply; canEdit: boolean; onEdit: () => void }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  if (fetcher.formData?.get('intent') === 'delete') return null
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="quick-reply">
      <div className="min-w-0">
        <div className="flex items-center gap-2">
          <span className="font-medium">/{reply.shortcut}</span>
          <Badge variant="outline">{reply.personal ? t('quickReplies.mine') : t('quickReplies.agency')}</Badge>
        </div>
        <p className="text-sm break-words whitespace-pre-line text-muted-foreground">{reply.body}</p>
      </div>
      {canEdit ? (
        <div className="flex shrink-0 gap-1">
          <Button
            size="sm"
            variant="ghost"
            onClick={onEdit}
            aria-label={t('quickReplies.editOf', { shortcut: reply.shortcut })}
          >
            {t('quickReplies.edit')}
          </Button>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={reply.id} />
            <Button
              type="submit"
              size="sm"
              variant="ghost"
              aria-label={t('quickReplies.deleteOf', { shortcut: reply.shortcut })}
            >
              {t('quickReplies.delete')}
            </Button>
          </fetcher.Form>
        </div>
      ) : null}
    </li>
  )
}
