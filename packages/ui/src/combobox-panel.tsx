import { Command as C } from 'cmdk'
import { Popover } from 'radix-ui'
import * as React from 'react'
import { Avatar } from './avatar'
import { Check } from 'lucide-react'
import { cn } from './cn'
import type { ComboboxOption } from './combobox'

/** Accent- and case-blind, so "joao" finds "João". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase()

/** The combobox's list (combobox.tsx), loaded on its first press. */
export function ComboboxPanel({
  anchor,
  open,
  onOpenChange,
  options,
  value,
  onSelect,
  listId,
  label,
  searchPlaceholder,
  emptyText,
}: {
  anchor: React.RefObject<HTMLButtonElement | null>
  open: boolean
  onOpenChange: (open: boolean) => void
  options: ComboboxOption[]
  value: string
  onSelect: (value: string) => void
  listId: string
  label: string
  searchPlaceholder: string
  emptyText: string
}) {
  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Anchor virtualRef={anchor as React.RefObject<HTMLButtonElement>} />
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={4}
          collisionPadding={8}
          className="z-50 w-[max(var(--radix-popover-trigger-width),16rem)] max-w-[calc(100vw-1rem)] overflow-hidden rounded-md border bg-popover text-popover-foreground shadow-md"
          onCloseAutoFocus={(e) => {
            e.preventDefault()
            anchor.current?.focus()
          }}
        >
          <C
            label={label}
            loop
            // The chosen one first under the cursor, as a select opens on its value.
            defaultValue={value || '∅'}
            filter={(itemValue, search, keywords) =>
              [itemValue, ...(keywords ?? [])].some((k) => fold(k).includes(fold(search))) ? 1 : 0
            }
          >
            <C.Input
              autoFocus
              placeholder={searchPlaceholder}
              className="flex h-10 w-full border-b bg-transparent px-3 text-base outline-none placeholder:text-muted-foreground md:text-sm"
            />
            <C.List id={listId} className="max-h-72 overflow-y-auto p-1">
              <C.Empty className="py-6 text-center text-sm text-muted-foreground">{emptyText}</C.Empty>
              {options.map((o) => (
                <C.Item
                  key={o.value}
                  // cmdk keys items by `value`; the label and description are what a person types.
                  value={o.value || '∅'}
                  keywords={[o.label, o.description ?? '']}
                  onSelect={() => onSelect(o.value)}
                  className="relative flex min-h-10 cursor-default items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none select-none data-[selected=true]:bg-accent data-[selected=true]:text-accent-foreground"
                >
                  {o.person ? <Avatar name={o.label} /> : null}
                  <span className="grid min-w-0">
                    <span className="truncate">{o.label}</span>
                    {o.description ? (
                      <span className="truncate text-xs text-muted-foreground">{o.description}</span>
                    ) : null}
                  </span>
                  <Check
                    aria-hidden
                    className={cn('ml-auto size-4 shrink-0', o.value === value ? 'opacity-100' : 'opacity-0')}
                  />
                </C.Item>
              ))}
            </C.List>
          </C>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
