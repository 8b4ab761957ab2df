import { Form, useNavigation } from '@remix-run/react'
import { propertyPurposes, propertyStatuses, propertyTypes } from '@impera/api/schemas'
import { Alert, Button, Field, Input, Select, Textarea } from '@impera/ui'
import { useCallback, useState } from 'react'
import { useI18n } from '../i18n'
import { moneyInputValue } from '../lib/format'
import {
  formCheckbox,
  formTexts,
  fromForm,
  mergeErrors,
  useClientValidation,
  type FormResult,
  type RouterInputs,
} from '../lib/forms'
import { trpc } from '../lib/trpc-client'
import { AddressFields } from './client-form'
import { RecordPicker, type PickerItem } from './record-picker'
import { PersonPicker } from './person-picker'
import { numberFormat } from '../lib/intl'

export interface PropertyFormValues {
  code: string
  title: string
  street: string | null
  number: string | null
  complement: string | null
  neighbourhood: string | null
  city: string | null
  state: string | null
  postalCode: string | null
  country: string | null
  type: string
  purpose: string
  salePrice: number | null
  rentPrice: number | null
  condoFee: number | null
  propertyTax: number | null
  builtArea: number | null
  totalArea: number | null
  bedrooms: number | null
  suites: number | null
  bathrooms: number | null
  parkingSpaces: number | null
  features: string[]
  status: string
  publishPortals: boolean
  description: string | null
  ownerClientId: string | null
  assignedTo: string | null
}

type PropertyData = RouterInputs['properties']['create']['data']

const textFields = [
  'code',
  'title',
  'street',
  'number',
  'complement',
  'neighbourhood',
  'city',
  'state',
  'postalCode',
  'country',
  'type',
  'purpose',
  'salePrice',
  'rentPrice',
  'condoFee',
  'propertyTax',
  'builtArea',
  'totalArea',
  'bedrooms',
  'suites',
  'bathrooms',
  'parkingSpaces',
  'features',
  'status',
  'description',
  'ownerClientId',
  'assignedTo',
] as const satisfies readonly (keyof PropertyData)[]

/** FormData → the property procedures' `data`; used in the browser (instant errors) and by the actions. */
export function propertyFormInput(fd: FormData): PropertyData {
  return { ...fromForm<PropertyData>(formTexts(fd, textFields)), publishPortals: formCheckbox(fd, 'publishPortals') }
}

function OwnerField({
  initial,
  errors,
}: {
  initial: { id: string; name: string } | null
  errors: string[] | undefined
}) {
  const { t } = useI18n()
  const [owner, setOwner] = useState<PickerItem | null>(initial ? { id: initial.id, label: initial.name } : null)
  const [picking, setPicking] = useState(false)
  const search = useCallback(
    async (q: string) =>
      (await trpc.clients.pick.query({ q })).map((c) => ({
        id: c.id,
        label: c.name,
        hint: [c.phones[0], c.email].filter(Boolean).join(' · '),
      })),
    [],
  )
  return (
    <div className="grid gap-1.5 sm:col-span-2">
      <span className="text-sm font-medium" id="owner-label">
        {t('properties.owner')}
      </span>
      <input type="hidden" name="ownerClientId" value={owner?.id ?? ''} />
      {picking ? (
        <RecordPicker
          search={search}
          label={t('properties.owner')}
          placeholder={t('clients.search')}
          autoFocus
          onPick={(item) => {
            setOwner(item)
            setPicking(false)
          }}
        />
      ) : (
        <div className="flex flex-wrap items-center gap-2 text-sm" aria-labelledby="owner-label">
          <span data-testid="owner-name">{owner ? owner.label : t('properties.noOwner')}</span>
          <Button type="button" size="sm" variant="outline" onClick={() => setPicking(true)}>
            {t('records.search')}
          </Button>
          {owner ? (
            <Button type="button" size="sm" variant="ghost" onClick={() => setOwner(null)}>
              {t('records.clear')}
            </Button>
          ) : null}
        </div>
      )}
      <p className="text-xs text-muted-foreground">{t('properties.ownerHint')}</p>
      {errors?.length ? <p className="text-sm text-destructive">{errors.join(' ')}</p> : null}
    </div>
  )
}

export function PropertyForm({
  initial,
  owner,
  assignees,
  canAssignOthers,
  me,
  result,
  submitLabel,
}: {
  initial?: PropertyFormValues
  owner: { id: string; name: string } | null
  assignees: { userId: string; name: string }[]
  canAssignOthers: boolean
  me: string
  result: FormResult | undefined
  submitLabel: string
}) {
  const { t, locale } = useI18n()
  const navigation = useNavigation()
  const { clientErrors, onSubmit } = useClientValidation('ZPropertyInput', propertyFormInput)
  const errors = (f: string) => mergeErrors(clientErrors, result, f)?.map((m) => t(m))
  const options = canAssignOthers
    ? assignees
    : assignees.filter((a) => a.userId === me || a.userId === initial?.assignedTo)
  const money = (name: 'salePrice' | 'rentPrice' | 'condoFee' | 'propertyTax') => (
    <Field label={t(`properties.${name}`)} errors={errors(name)}>
      {(p) => <Input {...p} name={name} inputMode="decimal" defaultValue={moneyInputValue(initial?.[name], locale)} />}
    </Field>
  )
  const count = (name: 'bedrooms' | 'suites' | 'bathrooms' | 'parkingSpaces') => (
    <Field label={t(`properties.${name}`)} errors={errors(name)}>
      {(p) => (
        <Input {...p} name={name} type="number" min={0} inputMode="numeric" defaultValue={initial?.[name] ?? ''} />
      )}
    </Field>
  )
  const area = (name: 'builtArea' | 'totalArea') => (
    <Field label={t(`properties.${name}`)} errors={errors(name)}>
      {(p) => (
        <Input
          {...p}
          name={name}
          inputMode="decimal"
          defaultValue={
            initial?.[name] === null || initial?.[name] === undefined ? '' : numberFormat(locale).format(initial[name]!)
          }
        />
      )}
    </Field>
  )
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate onSubmit={onSubmit}>
      {result?.formError ? (
        <Alert variant="destructive" className="sm:col-span-2">
          {t(result.formError)}
        </Alert>
      ) : null}
      <Field label={t('properties.titleField')} errors={errors('title')} className="sm:col-span-2">
        {(p) => (
          <Input
            {...p}
            name="title"
            defaultValue={initial?.title}
            required
            maxLength={160}
            autoFocus={!initial}
            autoComplete="off"
          />
        )}
      </Field>
      <Field label={t('properties.code')} hint={t('properties.codeHint')} errors={errors('code')}>
        {(p) => (
          <Input
            {...p}
            name="code"
            defaultValue={initial?.code ?? ''}
            maxLength={20}
            className="uppercase"
            autoComplete="off"
          />
        )}
      </Field>
      <Field label={t('properties.status')} errors={errors('status')}>
        {(p) => (
          <Select {...p} name="status" defaultValue={initial?.status ?? 'available'}>
            {propertyStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`properties.statuses.${s}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t('properties.type')} errors={errors('type')}>
        {(p) => (
          <Select {...p} name="type" defaultValue={initial?.type ?? 'apartment'}>
            {propertyTypes.map((s) => (
              <option key={s} value={s}>
                {t(`properties.typeNames.${s}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t('properties.purpose')} errors={errors('purpose')}>
        {(p) => (
          <Select {...p} name="purpose" defaultValue={initial?.purpose ?? 'sale'}>
            {propertyPurposes.map((s) => (
              <option key={s} value={s}>
                {t(`properties.purposes.${s}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {money('salePrice')}
      {money('rentPrice')}
      {money('condoFee')}
      {money('propertyTax')}
      {area('builtArea')}
      {area('totalArea')}
      <div className="grid grid-cols-2 gap-4 sm:col-span-2 sm:grid-cols-4">
        {count('bedrooms')}
        {count('suites')}
        {count('bathrooms')}
        {count('parkingSpaces')}
      </div>
      <fieldset className="grid gap-4 sm:col-span-2 sm:grid-cols-6">
        <legend className="mb-2 text-sm font-medium">{t('properties.address')}</legend>
        <AddressFields initial={initial} errors={errors} />
      </fieldset>
      <Field
        label={t('properties.features')}
        hint={t('properties.featuresHint')}
        errors={errors('features')}
        className="sm:col-span-2"
      >
        {(p) => <Input {...p} name="features" defaultValue={initial?.features.join(', ')} />}
      </Field>
      <OwnerField initial={owner} errors={errors('ownerClientId')} />
      <Field label={t('properties.assignee')} errors={errors('assignedTo')}>
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
      <label className="flex items-start gap-2 text-sm sm:col-span-2">
        <input
          type="checkbox"
          name="publishPortals"
          defaultChecked={initial?.publishPortals ?? false}
          className="mt-0.5 size-4"
        />
        <span>
          <span className="font-medium">{t('properties.publishPortals')}</span>
          <span className="block text-muted-foreground">{t('properties.publishPortalsHint')}</span>
        </span>
      </label>
      <Field label={t('properties.description')} errors={errors('description')} className="sm:col-span-2">
        {(p) => (
          <Textarea {...p} name="description" rows={4} maxLength={10_000} defaultValue={initial?.description ?? ''} />
        )}
      </Field>
      <Button type="submit" className="w-fit" loading={navigation.state === 'submitting'}>
        {submitLabel}
      </Button>
    </Form>
  )
}
