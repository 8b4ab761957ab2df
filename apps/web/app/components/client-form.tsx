import { Form, Link, useNavigation } from '@remix-run/react'
import { formatDocument } from '@impera/api/documents'
import { clientTypeValues } from '@impera/api/schemas'
import { Alert, Button, Field, Input, Textarea } from '@impera/ui'
import { useI18n } from '../i18n'
import {
  formText,
  formTexts,
  fromForm,
  mergeErrors,
  useClientValidation,
  type FormResult,
  type RouterInputs,
} from '../lib/forms'
import { PersonPicker } from './person-picker'

export interface ClientFormValues {
  name: string
  types: string[]
  phones: string[]
  email: string | null
  document: string | null
  street: string | null
  number: string | null
  complement: string | null
  neighbourhood: string | null
  city: string | null
  state: string | null
  postalCode: string | null
  country: string | null
  birthDate: string | null
  notes: string | null
  tags: string[]
  assignedTo: string | null
}

type ClientData = RouterInputs['clients']['create']['data']

const addressFields = [
  'street',
  'number',
  'complement',
  'neighbourhood',
  'city',
  'state',
  'postalCode',
  'country',
] as const satisfies readonly (keyof ClientData)[]

/** FormData → the client procedures' `data`; used in the browser (instant errors) and by the actions. */
export function clientFormInput(fd: FormData): ClientData {
  const text = (k: string) => formText(fd, k)
  return fromForm<ClientData>({
    name: text('name'),
    types: fd.getAll('types').map(String),
    phones: text('phones').split(/[\n,;]+/),
    email: text('email'),
    document: text('document'),
    ...formTexts(fd, addressFields),
    birthDate: text('birthDate'),
    notes: text('notes'),
    tags: text('tags'),
    assignedTo: text('assignedTo'),
  })
}

export function ClientForm({
  initial,
  assignees,
  canAssignOthers,
  me,
  result,
  submitLabel,
}: {
  initial?: ClientFormValues
  assignees: { userId: string; name: string }[]
  canAssignOthers: boolean
  me: string
  result: FormResult | undefined
  submitLabel: string
}) {
  const { t } = useI18n()
  const navigation = useNavigation()
  const { clientErrors, onSubmit } = useClientValidation('ZClientInput', clientFormInput)
  const errors = (f: string) => mergeErrors(clientErrors, result, f)?.map((m) => t(m))
  const holder = result?.meta?.holder as { id: string; name: string } | null | undefined
  const options = canAssignOthers
    ? assignees
    : assignees.filter((a) => a.userId === me || a.userId === initial?.assignedTo)
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate onSubmit={onSubmit}>
      {result?.formError ? (
        <Alert variant="destructive" className="sm:col-span-2">
          {t(result.formError)}
        </Alert>
      ) : null}
      <Field label={t('clients.name')} errors={errors('name')} className="sm:col-span-2">
        {(p) => (
          <Input
            {...p}
            name="name"
            defaultValue={initial?.name}
            required
            maxLength={160}
            autoFocus={!initial}
            autoComplete="off"
          />
        )}
      </Field>
      <fieldset className="grid gap-2 sm:col-span-2">
        <legend className="text-sm font-medium">{t('clients.types')}</legend>
        <div className="flex flex-wrap gap-3">
          {clientTypeValues.map((ct) => (
            <label key={ct} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="types"
                value={ct}
                defaultChecked={initial?.types.includes(ct)}
                className="size-4"
              />
              {t(`clients.typeNames.${ct}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label={t('clients.phones')} hint={t('leads.phonesHint')} errors={errors('phones')}>
        {(p) => <Textarea {...p} name="phones" rows={2} defaultValue={initial?.phones.join('\n')} inputMode="tel" />}
      </Field>
      <Field label={t('clients.email')} errors={errors('email')}>
        {(p) => <Input {...p} name="email" type="email" defaultValue={initial?.email ?? ''} />}
      </Field>
      <div className="grid gap-1.5">
        <Field label={t('clients.document')} hint={t('clients.documentHint')} errors={errors('document')}>
          {(p) => (
            <Input
              {...p}
              name="document"
              inputMode="numeric"
              defaultValue={initial?.document ? formatDocument(initial.document) : ''}
              maxLength={24}
            />
          )}
        </Field>
        {holder ? (
          <Link to={`/app/clients/${holder.id}`} className="text-sm text-primary underline">
            {t('clients.documentHolder', { name: holder.name })}
          </Link>
        ) : null}
      </div>
      <Field label={t('clients.birthDate')} errors={errors('birthDate')}>
        {(p) => <Input {...p} name="birthDate" type="date" defaultValue={initial?.birthDate ?? ''} />}
      </Field>
      <fieldset className="grid gap-4 sm:col-span-2 sm:grid-cols-6">
        <legend className="mb-2 text-sm font-medium">{t('clients.address')}</legend>
        <AddressFields initial={initial} errors={errors} />
      </fieldset>
      <Field label={t('clients.assignee')} errors={errors('assignedTo')}>
        {(p) => (
          <PersonPicker
            {...p}
            name="assignedTo"
            defaultValue={initial ? (initial.assignedTo ?? '') : canAssignOthers ? '' : me}
            choices={[{ value: '', label: t('records.unassigned') }]}
            people={options}
          />
        )}
      </Field>
      <Field label={t('clients.tags')} hint={t('leads.tagsHint')} errors={errors('tags')}>
        {(p) => <Input {...p} name="tags" defaultValue={initial?.tags.join(', ')} />}
      </Field>
      <Field label={t('clients.notes')} errors={errors('notes')} className="sm:col-span-2">
        {(p) => <Textarea {...p} name="notes" rows={3} maxLength={5000} defaultValue={initial?.notes ?? ''} />}
      </Field>
      <Button type="submit" className="w-fit" loading={navigation.state === 'submitting'}>
        {submitLabel}
      </Button>
    </Form>
  )
}

/** Street, number, complement, neighbourhood, city, state, postal code, country: shared by clients and properties. */
export function AddressFields({
  initial,
  errors,
}: {
  initial?: Partial<Record<(typeof addressFields)[number], string | null>>
  errors: (f: string) => string[] | undefined
}) {
  const { t } = useI18n()
  const spans: Record<(typeof addressFields)[number], string> = {
    street: 'sm:col-span-4',
    number: 'sm:col-span-2',
    complement: 'sm:col-span-2',
    neighbourhood: 'sm:col-span-2',
    city: 'sm:col-span-2',
    state: 'sm:col-span-2',
    postalCode: 'sm:col-span-2',
    country: 'sm:col-span-2',
  }
  return (
    <>
      {addressFields.map((f) => (
        <Field key={f} label={t(`clients.${f}`)} errors={errors(f)} className={spans[f]}>
          {(p) => (
            <Input
              {...p}
              name={f}
              defaultValue={initial?.[f] ?? ''}
              autoComplete={f === 'postalCode' ? 'postal-code' : 'off'}
            />
          )}
        </Field>
      ))}
    </>
  )
}
