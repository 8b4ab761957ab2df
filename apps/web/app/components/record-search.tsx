import { Command, CommandEmpty, CommandInput, CommandItem, CommandList } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useT } from '../i18n'

import type { PickerItem } from './record-picker'

/**
 * Search-as-you-type picker (clients, properties, leads): keyboard navigable (arrows, Enter), results from the server
 * so it scales to any number of records and respects what the user may see. `search` is called debounced.
 */
export function RecordSearch({
  search,
  onPick,
  placeholder,
  label,
  autoFocus,
}: {
  search: (q: string) => Promise<PickerItem[]>
  onPick: (item: PickerItem) => void
  placeholder: string
  label: string
  autoFocus?: boolean
}) {
  const t = useT()
  const [q, setQ] = useState('')
  const [items, setItems] = useState<PickerItem[]>([])
  const [loading, setLoading] = useState(true)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    setLoading(true)
    const timer = setTimeout(() => {
      search(q)
        .then((r) => live && (setItems(r), setFailed(false)))
        .catch(() => live && setFailed(true))
        .finally(() => live && setLoading(false))
    }, 200)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [q, search])
  return (
    <Command shouldFilter={false} label={label} className="rounded-md border">
      <CommandInput value={q} onValueChange={setQ} placeholder={placeholder} aria-label={label} autoFocus={autoFocus} />
      <CommandList aria-busy={loading}>
        {loading && !items.length ? (
          <div className="py-6 text-center text-sm text-muted-foreground">{t('records.searching')}</div>
        ) : null}
        {failed ? <div className="py-6 text-center text-sm text-destructive">{t('errors.internal')}</div> : null}
        {!loading && !failed ? <CommandEmpty>{t('records.noMatches')}</CommandEmpty> : null}
        {items.map((item) => (
          <CommandItem key={item.id} value={item.id} onSelect={() => onPick(item)} data-testid="picker-item">
            <span className="flex min-w-0 flex-col">
              <span className="truncate font-medium">{item.label}</span>
              {item.hint ? <span className="truncate text-xs text-muted-foreground">{item.hint}</span> : null}
            </span>
          </CommandItem>
        ))}
      </CommandList>
    </Command>
  )
}
