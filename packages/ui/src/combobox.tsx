import { ChevronsUpDown } from 'lucide-react'
import * as React from 'react'
import { Avatar } from './avatar'
import { cn } from './cn'

export interface ComboboxOption {
  value: string
  label: string
  /** Searched too, shown under the label (an e-mail, a role). */
  description?: string
  /** A person: drawn with their initials. */
  person?: boolean
}

type Panel = typeof import('./combobox-panel')
let panel: Panel | null = null
let loading: Promise<Panel> | null = null
const loadPanel = () =>
  (loading ??= import('./combobox-panel').then(
    (m) => (panel = m),
    (e: unknown) => {
      loading = null
      throw e
    },
  ))

export interface ComboboxProps extends Omit<
  React.ButtonHTMLAttributes<HTMLButtonElement>,
  'value' | 'defaultValue' | 'onChange' | 'type' | 'name'
> {
  options: ComboboxOption[]
  /** The form field it fills (a hidden input), so it posts like the `<select>` it replaces. */
  name?: string
  value?: string
  defaultValue?: string
  onValueChange?: (value: string) => void
  placeholder: string
  searchPlaceholder: string
  emptyText: string
}

/**
 * A searchable choice (people, with their initials) in place of a native `<select>`. The button is
 * the field (a `<label for>` names it); its list — Radix's popover with cmdk's filtering, ~20 kB — loads on the first
 * press, as the dropdown menus do (decision 039), so a page's first load carries only the button. Typing filters
 * without accents or case; arrows, Enter and Escape work as in a select, and focus comes back to the button.
 */
export function Combobox({
  options,
  name,
  value,
  defaultValue = '',
  onValueChange,
  placeholder,
  searchPlaceholder,
  emptyText,
  className,
  ...button
}: ComboboxProps) {
  const [inner, setInner] = React.useState(defaultValue)
  const current = value ?? inner
  const [open, setOpen] = React.useState(false)
  const [Loaded, setLoaded] = React.useState<Panel | null>(() => panel)
  const trigger = React.useRef<HTMLButtonElement>(null)
  const listId = React.useId()
  const selected = options.find((o) => o.value === current)
  const show = () => {
    if (Loaded) return setOpen(true)
    loadPanel().then(
      (m) => {
        setLoaded(m)
        setOpen(true)
      },
      // A failed load (a new build on the server, the network gone) leaves the button as it was; the next press
      // tries again.
      () => {},
    )
  }
  const choose = (v: string) => {
    if (value === undefined) setInner(v)
    setOpen(false)
    if (v !== current) onValueChange?.(v)
  }
  return (
    <>
      {name ? <input type="hidden" name={name} value={current} /> : null}
      <button
        {...button}
        ref={trigger}
        type="button"
        role="combobox"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            show()
          }
        }}
        className={cn(
          'flex h-10 w-full items-center gap-2 rounded-md border border-input bg-background px-3 text-left text-base focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-50 aria-[invalid=true]:border-destructive md:text-sm',
          className,
        )}
      >
        {selected?.person ? <Avatar name={selected.label} /> : null}
        <span className={cn('min-w-0 flex-1 truncate', !selected && 'text-muted-foreground')}>
          {selected?.label ?? placeholder}
        </span>
        <ChevronsUpDown aria-hidden className="size-4 shrink-0 opacity-60" />
      </button>
      {Loaded ? (
        <Loaded.ComboboxPanel
          anchor={trigger}
          open={open}
          onOpenChange={setOpen}
          options={options}
          value={current}
          onSelect={choose}
          listId={listId}
          label={button['aria-label'] ?? placeholder}
          searchPlaceholder={searchPlaceholder}
          emptyText={emptyText}
        />
      ) : null}
    </>
  )
}
