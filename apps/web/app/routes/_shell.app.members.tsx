import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import {
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { useEffect, useState } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formText, fromForm, mergeErrors, useClientValidation, type FormResult, type RouterInputs } from '../lib/forms'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'members.read')
  const caller = await context.scope.caller()
  const canManage = can(role, 'members.invite')
  const [members, invitations] = await Promise.all([
    caller.members.list(),
    canManage ? caller.members.invitations() : Promise.resolve([]),
  ])
  return { members, invitations, canManage, me: identity.userId }
}

const inviteInput = (fd: FormData) =>
  fromForm<RouterInputs['members']['invite']>({ email: formText(fd, 'email'), role: formText(fd, 'role') })

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const invitationId = formText(fd, 'invitationId')
  const membershipId = formText(fd, 'membershipId')
  switch (fd.get('intent')) {
    case 'invite':
      return runAction(
        context,
        () => caller.members.invite(inviteInput(fd)),
        (inv) => ({ ok: true, message: 'members.invited', formErrorVars: { email: inv.email } }),
      )
    case 'resend':
      return runAction(
        context,
        () => caller.members.resendInvitation({ invitationId }),
        () => ({ ok: true, message: 'members.resent' }),
      )
    case 'revoke':
      return runAction(
        context,
        () => caller.members.revokeInvitation({ invitationId }),
        () => ({ ok: true, message: 'members.revoked' }),
      )
    case 'changeRole':
      return runAction(
        context,
        () =>
          caller.members.changeRole(
            fromForm<RouterInputs['members']['changeRole']>({ membershipId, role: formText(fd, 'role') }),
          ),
        () => ({ ok: true, message: 'members.updated' }),
      )
    case 'deactivate':
      return runAction(
        context,
        () => caller.members.deactivate({ membershipId }),
        () => ({ ok: true, message: 'members.updated' }),
      )
    case 'reactivate':
      return runAction(
        context,
        () => caller.members.reactivate({ membershipId }),
        () => ({ ok: true, message: 'members.updated' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function InviteDialog() {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const [open, setOpen] = useState(false)
  const { clientErrors, onSubmit } = useClientValidation('ZInviteMemberInput', inviteInput)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) setOpen(false)
  }, [fetcher.state, fetcher.data])
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>{t('members.invite')}</Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogTitle>{t('members.inviteTitle')}</DialogTitle>
        <DialogDescription>{t('members.inviteHelp')}</DialogDescription>
        <fetcher.Form method="post" className="grid gap-4" noValidate onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="invite" />
          <Field label={t('members.email')} errors={errors('email')}>
            {(p) => <Input {...p} name="email" type="email" required autoFocus />}
          </Field>
          <Field label={t('members.role')} errors={errors('role')}>
            {(p) => (
              <Select {...p} name="role" defaultValue="agent">
                <option value="agent">{t('roles.agent')}</option>
                <option value="manager">{t('roles.manager')}</option>
              </Select>
            )}
          </Field>
          <Button type="submit" loading={fetcher.state !== 'idle'}>
            {t('members.invite')}
          </Button>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  )
}

function RowAction({
  intent,
  fields,
  label,
  confirm,
  variant = 'outline',
}: {
  intent: string
  fields: Record<string, string>
  label: string
  confirm?: string
  variant?: 'outline' | 'destructive' | 'ghost'
}) {
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post" onSubmit={(e) => confirm && !window.confirm(confirm) && e.preventDefault()}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button type="submit" size="sm" variant={variant} loading={fetcher.state !== 'idle'}>
        {label}
      </Button>
    </fetcher.Form>
  )
}

export default function Members() {
  const { t, dateTime } = useI18n()
  const { members, invitations, canManage, me } = useLoaderData<typeof loader>()
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader title={t('members.title')} primary={canManage ? <InviteDialog /> : null} />
      <Card>
        <CardContent className="p-0 sm:p-0">
          {members.length === 0 ? (
            <p className="p-6 text-muted-foreground">{t('members.empty')}</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t('members.name')}</TableHead>
                  <TableHead className="hidden sm:table-cell">{t('members.email')}</TableHead>
                  <TableHead>{t('members.role')}</TableHead>
                  <TableHead>{t('members.status')}</TableHead>
                  {canManage ? <TableHead>{t('common.actions')}</TableHead> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((m) => (
                  <TableRow key={m.membershipId} data-testid="member-row">
                    <TableCell>
                      {m.name}{' '}
                      {m.userId === me ? <span className="text-muted-foreground">({t('members.you')})</span> : null}
                      <div className="text-xs text-muted-foreground sm:hidden">{m.email}</div>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{m.email}</TableCell>
                    <TableCell>{t(`roles.${m.role}`)}</TableCell>
                    <TableCell>
                      <Badge variant={m.status === 'active' ? 'success' : 'secondary'}>
                        {t(`members.${m.status}`)}
                      </Badge>
                    </TableCell>
                    {canManage ? (
                      <TableCell>
                        {m.userId === me ? null : (
                          <div className="flex flex-col gap-2 sm:flex-row">
                            <RowAction
                              intent="changeRole"
                              fields={{
                                membershipId: m.membershipId,
                                role: m.role === 'manager' ? 'agent' : 'manager',
                              }}
                              label={m.role === 'manager' ? t('members.makeAgent') : t('members.makeManager')}
                            />
                            {m.status === 'active' ? (
                              <RowAction
                                intent="deactivate"
                                fields={{ membershipId: m.membershipId }}
                                label={t('members.deactivate')}
                                variant="destructive"
                                confirm={t('members.confirmDeactivate', { name: m.name })}
                              />
                            ) : (
                              <RowAction
                                intent="reactivate"
                                fields={{ membershipId: m.membershipId }}
                                label={t('members.reactivate')}
                              />
                            )}
                          </div>
                        )}
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      {canManage ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('members.pending')}</CardTitle>
          </CardHeader>
          <CardContent>
            {invitations.length === 0 ? (
              <p className="text-muted-foreground">{t('members.noPending')}</p>
            ) : (
              <ul className="grid gap-2">
                {invitations.map((i) => (
                  <li
                    key={i.id}
                    className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3"
                    data-testid="invitation-row"
                  >
                    <div>
                      <p className="font-medium">{i.email}</p>
                      <p className="text-sm text-muted-foreground">
                        {t(`roles.${i.role}`)} ·{' '}
                        {i.expired ? (
                          <Badge variant="warning">{t('members.expired')}</Badge>
                        ) : (
                          `${t('members.expires')} ${dateTime(i.expiresAt)}`
                        )}
                      </p>
                    </div>
                    <div className="flex gap-2">
                      <RowAction intent="resend" fields={{ invitationId: i.id }} label={t('members.resend')} />
                      <RowAction
                        intent="revoke"
                        fields={{ invitationId: i.id }}
                        label={t('members.revoke')}
                        variant="ghost"
                      />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      ) : null}
    </div>
  )
}
