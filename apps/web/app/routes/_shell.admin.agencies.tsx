import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
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
  DialogFooter,
  DialogTitle,
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
import { useEffect, useRef, useState } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formText, fromForm, mergeErrors, useClientValidation, type FormResult, type RouterInputs } from '../lib/forms'
import { requirePlatformAdmin } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePlatformAdmin(context, request)
  const caller = await context.scope.caller()
  return { agencies: await caller.admin.agencies() }
}

const createAgencyInput = (fd: FormData) =>
  fromForm<RouterInputs['admin']['createAgency']>({
    name: formText(fd, 'name'),
    slug: formText(fd, 'slug'),
    locale: formText(fd, 'locale'),
    managerEmail: formText(fd, 'managerEmail'),
  })

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePlatformAdmin(context, request)
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  if (fd.get('intent') === 'create')
    return runAction(
      context,
      () => caller.admin.createAgency(createAgencyInput(fd)),
      () => ({ ok: true, message: 'admin.created' }),
    )
  if (fd.get('intent') === 'status')
    return runAction(
      context,
      () =>
        caller.admin.setAgencyStatus(
          fromForm<RouterInputs['admin']['setAgencyStatus']>({
            agencyId: formText(fd, 'agencyId'),
            status: formText(fd, 'status'),
          }),
        ),
      () => ({ ok: true, message: 'common.saved' }),
    )
  if (fd.get('intent') === 'delete')
    return runAction(
      context,
      () =>
        caller.admin.deleteAgency(
          fromForm<RouterInputs['admin']['deleteAgency']>({
            agencyId: formText(fd, 'agencyId'),
            confirm: formText(fd, 'confirm'),
          }),
        ),
      () => ({ ok: true, message: 'admin.deletionRequested' }),
    )
  return new Response('Unknown intent', { status: 400 })
}

function CreateAgency() {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  const { clientErrors, onSubmit } = useClientValidation('ZCreateAgencyInput', createAgencyInput)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) form.current?.reset()
  }, [fetcher.state, fetcher.data])
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  return (
    <fetcher.Form method="post" ref={form} className="grid gap-4 sm:grid-cols-2" noValidate onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="create" />
      <Field label={t('admin.name')} errors={errors('name')}>
        {(p) => <Input {...p} name="name" required maxLength={120} />}
      </Field>
      <Field label={t('admin.slug')} errors={errors('slug')}>
        {(p) => <Input {...p} name="slug" required maxLength={48} pattern="[a-z0-9-]+" />}
      </Field>
      <Field label={t('admin.managerEmail')} errors={errors('managerEmail')}>
        {(p) => <Input {...p} name="managerEmail" type="email" required />}
      </Field>
      <Field label={t('admin.locale')} errors={errors('locale')}>
        {(p) => (
          <Select {...p} name="locale" defaultValue="pt-BR">
            <option value="pt-BR">Português (Brasil)</option>
            <option value="en">English</option>
          </Select>
        )}
      </Field>
      <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
        {t('admin.create')}
      </Button>
    </fetcher.Form>
  )
}

function StatusButton({ agencyId, name, status }: { agencyId: string; name: string; status: 'active' | 'suspended' }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const next = status === 'active' ? 'suspended' : 'active'
  return (
    <fetcher.Form
      method="post"
      onSubmit={(e) =>
        next === 'suspended' && !window.confirm(t('admin.confirmSuspend', { name })) && e.preventDefault()
      }
    >
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="agencyId" value={agencyId} />
      <input type="hidden" name="status" value={next} />
      <Button
        type="submit"
        size="sm"
        variant={next === 'suspended' ? 'destructive' : 'outline'}
        loading={fetcher.state !== 'idle'}
      >
        {next === 'suspended' ? t('admin.suspend') : t('admin.reactivate')}
      </Button>
    </fetcher.Form>
  )
}

/** Deleting an agency for good (decision 040): the agency's slug typed, then the worker takes it all away. */
function DeleteAgency({ agencyId, name, slug }: { agencyId: string; name: string; slug: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) setOpen(false)
  }, [fetcher.state, fetcher.data])
  return (
    <>
      <Button type="button" size="sm" variant="outline" className="text-destructive" onClick={() => setOpen(true)}>
        {t('admin.delete')}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent closeLabel={t('common.close')}>
          <DialogTitle>{t('admin.deleteTitle', { name })}</DialogTitle>
          <DialogDescription>{t('admin.deleteExplain')}</DialogDescription>
          <fetcher.Form method="post" className="grid gap-4">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="agencyId" value={agencyId} />
            <Field
              label={t('admin.deleteConfirmLabel', { slug })}
              errors={fetcher.data?.fieldErrors?.confirm?.map((m) => t(m))}
            >
              {(p) => (
                <Input
                  {...p}
                  name="confirm"
                  autoComplete="off"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                />
              )}
            </Field>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                variant="destructive"
                disabled={typed.trim() !== slug}
                loading={fetcher.state !== 'idle'}
              >
                {t('admin.deleteConfirm')}
              </Button>
            </DialogFooter>
          </fetcher.Form>
        </DialogContent>
      </Dialog>
    </>
  )
}

export default function AdminAgencies() {
  const { t } = useI18n()
  const { agencies } = useLoaderData<typeof loader>()
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader title={t('admin.title')} />
      <Card>
        <CardHeader>
          <CardTitle>{t('admin.create')}</CardTitle>
        </CardHeader>
        <CardContent>
          <CreateAgency />
        </CardContent>
      </Card>
      <Card>
        <CardContent className="p-0 sm:p-0">
          {agencies.length === 0 ? (
            <p className="p-6 text-muted-foreground">{t('admin.empty')}</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t('admin.name')}</TableHead>
                  <TableHead className="hidden sm:table-cell">{t('admin.members')}</TableHead>
                  <TableHead>{t('admin.status')}</TableHead>
                  <TableHead>{t('common.actions')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {agencies.map((a) => (
                  <TableRow key={a.id} data-testid="agency-row">
                    <TableCell>
                      {a.name}
                      <div className="text-xs text-muted-foreground">{a.slug}</div>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{a.activeMembers}</TableCell>
                    <TableCell>
                      {a.deletionRequestedAt ? (
                        <Badge variant="destructive">{t('admin.deleting')}</Badge>
                      ) : (
                        <Badge variant={a.status === 'active' ? 'success' : 'destructive'}>
                          {t(`admin.${a.status}`)}
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      {a.deletionRequestedAt ? null : (
                        <div className="flex flex-wrap gap-2">
                          <StatusButton agencyId={a.id} name={a.name} status={a.status} />
                          <DeleteAgency agencyId={a.id} name={a.name} slug={a.slug} />
                        </div>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  )
}
