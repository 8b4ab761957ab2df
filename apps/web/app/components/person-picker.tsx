import { Combobox, type ComboboxOption, type ComboboxProps } from '@impera/ui'
import { useT } from '../i18n'

/**
 * A choice of person (an assignee) searched by name, with initials,, in place of a `<select>` of names. `choices` go first
 * (automatic distribution, nobody); `people` are the agency's members as the page lists them.
 */
export function PersonPicker({
  people,
  choices = [],
  placeholder,
  ...props
}: Omit<ComboboxProps, 'options' | 'placeholder' | 'searchPlaceholder' | 'emptyText'> & {
  people: { userId: string; name: string; email?: string | null }[]
  choices?: { value: string; label: string }[]
  placeholder?: string
}) {
  const t = useT()
  const options: ComboboxOption[] = [
    ...choices,
    ...people.map((p) => ({ value: p.userId, label: p.name, description: p.email ?? undefined, person: true })),
  ]
  return (
    <Combobox
      {...props}
      options={options}
      placeholder={placeholder ?? t('common.choose')}
      searchPlaceholder={t('common.searchPeople')}
      emptyText={t('common.nobodyFound')}
    />
  )
}
