import { Form, Link, useNavigation } from '@remix-run/react'
import { leadSources, propertyTypes } from '@impera/api/schemas'
import { Alert, Button, Field, Input, Select } from '@impera/ui'
import { useI18n } from '../i18n'
import { PersonPicker } from './person-picker'
import { moneyInputValue } from '../lib/format'
import { formText, fromForm, mergeErrors, useClientValidation, type FormResult, type RouterInputs } from '../lib/forms'

export interface LeadFormValues {
  name: string
  phones: string[]
  email: string | null
  source: string
  sourceDetail: string | null
  interest: string | null
  budgetMin: number | null
  budgetMax: number | null
  propertyTypes: string[]
  locations: string[]
  minBedrooms: number | null
  notes: string | null
  tags: string[]
  assignedTo: string | null
}

interface DuplicateInfo {
  id: string | null
  name: string | null
  matchedOn: 'phone' | 'email'
}

type LeadData = RouterInputs['leads']['create']['data']

/** FormData → the lead procedures' `data`; used in the browser (instant errors) and by the actions. */
export function leadFormInput(fd: FormData): LeadData {
  const text = (k: string) => formText(fd, k)
  return fromForm<LeadData>({
    name: text('name'),
    phones: text('phones').split(/[\n,;]+/),
    email: text('email'),
    source: text('source') || 'other',
    sourceDetail: text('sourceDetail'),
    interest: text('interest'),
    budgetMin: text('budgetMin'),
    budgetMax: text('budgetMax'),
    propertyTypes: fd.getAll('propertyTypes').map(String),
    locations: text('locations'),
    minBedrooms: text('minBedrooms'),
    notes: text('notes'),
    tags: text('tags'),
    // "auto" is the distribution's choice (the action asks for it); the lead itself starts unassigned.
    assignedTo: text('assignedTo') === 'auto' ? '' : text('assignedTo'),
  })
}

export function LeadForm({
  initial,
  assignees,
  canAssignOthers,
  me,
  result,
  submitLabel,
}: {
  initial?: LeadFormValues
  assignees: { userId: string; name: string }[]
  canAssignOthers: boolean
  me: string
  result: FormResult | undefined
  submitLabel: string
}) {
  const { t, locale } = useI18n()
  const navigation = useNavigation()
  const { clientErrors, onSubmit } = useClientValidation('ZLeadInput', leadFormInput)
  const errors = (f: string) => mergeErrors(clientErrors, result, f)?.map((m) => t(m))
  const busy = navigation.state === 'submitting'
  const duplicates = (result?.meta?.duplicates as DuplicateInfo[] | undefined) ?? []
  const options = canAssignOthers
    ? assignees
    : assignees.filter((a) => a.userId === me || a.userId === initial?.assignedTo)
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate onSubmit={onSubmit}>
      {duplicates.length ? (
        <Alert variant="destructive" className="grid gap-2 sm:col-span-2" data-testid="duplicate-warning">
          <p className="font-medium">{t('leads.duplicate')}</p>
          <ul className="grid gap-1">
            {duplicates.map((d, i) => (
              <li key={d.id ?? i}>
                {d.id ? (
                  <Link to={`/app/leads/${d.id}`} className="underline">
                    {t('leads.openExisting', { name: d.name ?? '' })}
                  </Link>
                ) : (
                  t('leads.duplicateHidden')
                )}
              </li>
            ))}
          </ul>
          <Button type="submit" name="allowDuplicate" value="true" variant="outline" className="w-fit" loading={busy}>
            {initial ? t('leads.saveAnyway') : t('leads.createAnyway')}
          </Button>
        </Alert>
      ) : null}
      {result?.formError ? (
        <Alert variant="destructive" className="sm:col-span-2">
          {t(result.formError)}
        </Alert>
      ) : null}
      <Field label={t('leads.name')} errors={errors('name')} className="sm:col-span-2">
        {(p) => <Input {...p} name="name" defaultValue={initial?.name} required maxLength={120} autoFocus={!initial} />}
      </Field>
      <Field label={t('leads.phones')} hint={t('leads.phonesHint')} errors={errors('phones')}>
        {(p) => (
          <textarea
            {...p}
            name="phones"
            rows={2}
            defaultValue={initial?.phones.join('\n')}
            inputMode="tel"
            className="min-h-10 w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none aria-[invalid=true]:border-destructive md:text-sm"
          />
        )}
      </Field>
      <Field label={t('leads.email')} errors={errors('email')}>
        {(p) => <Input {...p} name="email" type="email" defaultValue={initial?.email ?? ''} />}
      </Field>
      <Field label={t('leads.source')} errors={errors('source')}>
        {(p) => (
          <Select {...p} name="source" defaultValue={initial?.source ?? 'website'}>
            {leadSources.map((s) => (
              <option key={s} value={s}>
                {t(`leads.sources.${s}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t('leads.sourceDetail')} errors={errors('sourceDetail')}>
        {(p) => <Input {...p} name="sourceDetail" defaultValue={initial?.sourceDetail ?? ''} maxLength={200} />}
      </Field>
      <Field label={t('leads.interest')} errors={errors('interest')}>
        {(p) => (
          <Select {...p} name="interest" defaultValue={initial?.interest ?? ''}>
            <option value="">{t('leads.none')}</option>
            <option value="buy">{t('leads.interests.buy')}</option>
            <option value="rent">{t('leads.interests.rent')}</option>
          </Select>
        )}
      </Field>
      <Field label={t('leads.assignee')} errors={errors('assignedTo')}>
        {(p) => (
          <PersonPicker
            {...p}
            name="assignedTo"
            defaultValue={initial ? (initial.assignedTo ?? '') : canAssignOthers ? 'auto' : me}
            choices={[
              ...(!initial && canAssignOthers ? [{ value: 'auto', label: t('distribution.automatic') }] : []),
              { value: '', label: t('leads.unassigned') },
            ]}
            people={options}
          />
        )}
      </Field>
      <Field label={t('leads.budgetMin')} errors={errors('budgetMin')}>
        {(p) => (
          <Input
            {...p}
            name="budgetMin"
            inputMode="decimal"
            defaultValue={moneyInputValue(initial?.budgetMin, locale)}
          />
        )}
      </Field>
      <Field label={t('leads.budgetMax')} errors={errors('budgetMax')}>
        {(p) => (
          <Input
            {...p}
            name="budgetMax"
            inputMode="decimal"
            defaultValue={moneyInputValue(initial?.budgetMax, locale)}
          />
        )}
      </Field>
      <fieldset className="grid gap-2 sm:col-span-2">
        <legend className="text-sm font-medium">{t('leads.propertyTypes')}</legend>
        <div className="flex flex-wrap gap-3">
          {propertyTypes.map((pt) => (
            <label key={pt} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="propertyTypes"
                value={pt}
                defaultChecked={initial?.propertyTypes.includes(pt)}
                className="size-4"
              />
              {t(`leads.propertyTypeNames.${pt}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label={t('leads.locations')} hint={t('leads.locationsHint')} errors={errors('locations')}>
        {(p) => <Input {...p} name="locations" defaultValue={initial?.locations.join(', ')} />}
      </Field>
      <Field label={t('leads.minBedrooms')} errors={errors('minBedrooms')}>
        {(p) => (
          <Input {...p} name="minBedrooms" type="number" min={0} max={20} defaultValue={initial?.minBedrooms ?? ''} />
        )}
      </Field>
      <Field label={t('leads.tags')} hint={t('leads.tagsHint')} errors={errors('tags')}>
        {(p) => <Input {...p} name="tags" defaultValue={initial?.tags.join(', ')} />}
      </Field>
      <Field label={t('leads.notes')} errors={errors('notes')} className="sm:col-span-2">
        {(p) => (
          <textarea
            {...p}
            name="notes"
            rows={3}
            maxLength={5000}
            defaultValue={initial?.notes ?? ''}
            className="w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none md:text-sm"
          />
        )}
      </Field>
      <Button type="submit" className="w-fit" loading={busy}>
        {submitLabel}
      </Button>
    </Form>
  )
}
