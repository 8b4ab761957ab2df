import { Link, useFetcher, useLocation, useNavigation, useSearchParams } from '@remix-run/react'
import { useEffect, useId, useRef, useState } from 'react'
import { normalizeViewQuery, type ListName } from '@impera/api/schemas'
import {
  Button,
  cn,
  Dialog,
  DialogContent,
  DialogFooter,
  DialogTitle,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
  Field,
  Input,
  Select,
  TableHead,
} from '@impera/ui'
import { SlidersHorizontal, X } from 'lucide-react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'
import { numberFormat } from '../lib/intl'

/**
 * The pieces every list page shares: sortable headers, cursor paging with a cheap total, a column chooser, multi-value
 * filters and saved views. All of them read and write the URL, so the page state is always a link.
 */

/** The URL without paging: changing the filters, sort or columns starts again from the first page. */
function withoutPaging(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params)
  next.delete('after')
  next.delete('before')
  return next
}

export function SortHeader({
  column,
  label,
  sort,
  dir,
  className,
}: {
  column: string
  label: string
  sort: string
  dir: 'asc' | 'desc'
  className?: string
}) {
  const [params] = useSearchParams()
  const next = withoutPaging(params)
  next.set('sort', column)
  next.set('dir', sort === column && dir === 'asc' ? 'desc' : 'asc')
  return (
    <TableHead
      className={className}
      aria-sort={sort === column ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <Link
        to={`?${next}`}
        className="inline-flex items-center gap-1 rounded-sm hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      >
        {label}
        {sort === column ? <span aria-hidden>{dir === 'asc' ? '▲' : '▼'}</span> : null}
      </Link>
    </TableHead>
  )
}

/** "1.234 leads" when counted, "≈ 200 mil leads" when the list is past the count cap and the figure is an estimate. */
export function useTotalLabel() {
  const { t, locale } = useI18n()
  return (total: { count: number; exact: boolean }, key: string) =>
    total.exact
      ? t(key, { total: total.count })
      : t('lists.approximately', {
          label: t(key, {
            total: numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(total.count),
          }),
        })
}

export function CursorPager({
  next,
  prev,
  totalLabel,
}: {
  next: string | null
  prev: string | null
  totalLabel: string
}) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  const link = (key: 'after' | 'before', cursor: string) => {
    const to = withoutPaging(params)
    to.set(key, cursor)
    return `?${to}`
  }
  return (
    <nav className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-label={t('lists.pages')}>
      <span className="text-muted-foreground" data-testid="list-total">
        {totalLabel}
      </span>
      <div className="flex items-center gap-2">
        {prev ? (
          <Button asChild variant="ghost" size="sm">
            <Link to={`?${withoutPaging(params)}`}>{t('lists.first')}</Link>
          </Button>
        ) : null}
        {prev ? (
          <Button asChild variant="outline" size="sm">
            <Link to={link('before', prev)} rel="prev">
              {t('records.previous')}
            </Link>
          </Button>
        ) : null}
        {next ? (
          <Button asChild variant="outline" size="sm">
            <Link to={link('after', next)} rel="next">
              {t('records.next')}
            </Link>
          </Button>
        ) : null}
      </div>
    </nav>
  )
}

/** What a Tab can land on inside the filters sheet. */
const focusable =
  'input:not([type=hidden]), select, textarea, button, summary, a[href], [tabindex]:not([tabindex="-1"])'

/**
 * On a phone, a list's filters other than the search fold behind one toggle that says how many are on, so the search
 * and the list come first; the toggle opens them as a bottom sheet (a modal dialog: the page behind is covered, Tab
 * stays inside, Escape or the backdrop closes it and focus returns to the toggle) with "show results" under the thumb.
 * From `sm` up they sit in the form's grid as before (`display: contents`). The fields never leave the form (the sheet
 * is not portalled), so folded or open they submit with it.
 */
export function FoldedFilters({ active, children }: { active: number; children: React.ReactNode }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const id = useId()
  const sheet = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const panel = sheet.current
    if (!open || !panel) return
    const fields = () => [...panel.querySelectorAll<HTMLElement>(focusable)].filter((el) => el.offsetParent !== null)
    // The first field, not the sheet's close button.
    fields()
      .find((el) => el.tagName !== 'BUTTON')
      ?.focus()
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        // A "more filters" panel open inside the sheet closes first (FilterPopover handles its own Escape).
        if (panel.querySelector('details[open]')) return
        e.preventDefault()
        setOpen(false)
      } else if (e.key === 'Tab') {
        const all = fields()
        const first = all[0]
        const last = all.at(-1)
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault()
          last?.focus()
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault()
          first?.focus()
        }
      }
    }
    const form = panel.closest('form')
    const close = () => setOpen(false)
    document.addEventListener('keydown', keys)
    form?.addEventListener('submit', close)
    const overflow = document.body.style.overflow
    document.body.style.overflow = 'hidden'
    return () => {
      document.removeEventListener('keydown', keys)
      form?.removeEventListener('submit', close)
      document.body.style.overflow = overflow
      toggle.current?.focus()
    }
  }, [open])
  return (
    <>
      <Button
        ref={toggle}
        type="button"
        variant="outline"
        className="justify-between sm:hidden"
        aria-expanded={open}
        aria-controls={id}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        data-testid="filters-toggle"
      >
        <span className="flex items-center gap-2">
          <SlidersHorizontal aria-hidden />
          {t('lists.filters')}
        </span>
        {active ? (
          <span className="rounded-full bg-primary px-1.5 text-xs text-primary-foreground">{active}</span>
        ) : null}
      </Button>
      {open ? (
        <div className="fixed inset-0 z-50 bg-black/50 sm:hidden" onClick={() => setOpen(false)} aria-hidden />
      ) : null}
      <div
        id={id}
        ref={sheet}
        role={open ? 'dialog' : undefined}
        aria-modal={open || undefined}
        aria-labelledby={open ? `${id}-title` : undefined}
        data-testid="filters-sheet"
        className={cn(
          open
            ? 'fixed inset-x-0 bottom-0 z-50 grid max-h-[85dvh] gap-2 overflow-y-auto rounded-t-xl border-t bg-background px-4 pt-2 shadow-lg'
            : 'hidden',
          'sm:contents',
        )}
      >
        <div className="flex items-center justify-between sm:hidden">
          <span aria-hidden className="absolute top-1.5 left-1/2 h-1 w-10 -translate-x-1/2 rounded-full bg-muted" />
          <h2 id={`${id}-title`} className="pt-2 text-lg font-semibold">
            {t('lists.filters')}
          </h2>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label={t('common.close')}
            onClick={() => setOpen(false)}
          >
            <X aria-hidden />
          </Button>
        </div>
        {children}
        <div className="sticky bottom-0 -mx-4 border-t bg-background px-4 pt-2 pb-[max(1rem,env(safe-area-inset-bottom))] sm:hidden">
          <Button type="submit" className="w-full">
            {t('lists.showResults')}
          </Button>
        </div>
      </div>
    </>
  )
}

/**
 * A dropdown panel that lives inside its form (so its inputs submit with it), closing on Escape or a click outside.
 * With `sheet`, on a phone it rises from the bottom over a backdrop (a page whose filters are this one panel: the
 * inbox), as the records lists' folded filters do.
 */
export function FilterPopover({
  label,
  active,
  children,
  className,
  align = 'start',
  apply,
  sheet = false,
}: {
  label: string
  active?: number
  children: React.ReactNode
  className?: string
  align?: 'start' | 'end'
  /** A submit button's label at the panel's foot: a long panel covers the form's own button on a small screen. */
  apply?: string
  sheet?: boolean
}) {
  const ref = useRef<HTMLDetailsElement>(null)
  useEffect(() => {
    const details = ref.current
    if (!details) return
    const outside = (e: MouseEvent) => {
      if (details.open && !details.contains(e.target as Node)) details.open = false
    }
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && details.open) {
        details.open = false
        details.querySelector('summary')?.focus()
      }
    }
    document.addEventListener('mousedown', outside)
    details.addEventListener('keydown', escape)
    return () => {
      document.removeEventListener('mousedown', outside)
      details.removeEventListener('keydown', escape)
    }
  }, [])
  return (
    <details ref={ref} className={cn('relative', className)}>
      <summary className="flex h-10 cursor-pointer list-none items-center justify-between gap-2 rounded-md border border-input bg-background px-3 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none [&::-webkit-details-marker]:hidden">
        <span className="truncate">{label}</span>
        {active ? (
          <span className="rounded-full bg-primary px-1.5 text-xs text-primary-foreground">{active}</span>
        ) : (
          <span aria-hidden>▾</span>
        )}
      </summary>
      {sheet ? (
        // Inside the details, so it exists only while the panel is open; a tap on it closes the panel.
        <div
          aria-hidden
          className="fixed inset-0 z-40 bg-black/50 sm:hidden"
          onClick={() => ref.current?.removeAttribute('open')}
        />
      ) : null}
      <div
        className={cn(
          'absolute z-30 mt-1 grid max-w-[calc(100vw-1.5rem)] min-w-[14rem] gap-1 rounded-md border bg-popover p-2 text-popover-foreground shadow-md',
          align === 'end' ? 'right-0' : 'left-0',
          sheet &&
            'max-sm:fixed max-sm:inset-x-0 max-sm:top-auto max-sm:bottom-0 max-sm:z-50 max-sm:mt-0 max-sm:max-h-[85dvh] max-sm:max-w-none max-sm:overflow-y-auto max-sm:rounded-t-xl max-sm:rounded-b-none max-sm:p-4 max-sm:pb-[max(1rem,env(safe-area-inset-bottom))]',
        )}
        data-testid={sheet ? 'filter-sheet' : undefined}
      >
        {sheet ? <span className="text-lg font-semibold sm:hidden">{label}</span> : null}
        {children}
        {apply ? (
          <Button type="submit" size="sm" className="mt-2 justify-self-end">
            {apply}
          </Button>
        ) : null}
      </div>
    </details>
  )
}

/** Checkboxes for a multi-value filter; unticking all means "any". */
export function MultiCheck({
  name,
  label,
  options,
  selected,
}: {
  name: string
  label: string
  options: { value: string; label: string }[]
  selected: string[]
}) {
  return (
    <FilterPopover label={label} active={selected.length}>
      <fieldset className="grid gap-1">
        <legend className="sr-only">{label}</legend>
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 rounded-sm px-1 py-1 text-sm hover:bg-accent">
            <input
              type="checkbox"
              name={name}
              value={o.value}
              defaultChecked={selected.includes(o.value)}
              className="size-4 accent-primary"
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    </FilterPopover>
  )
}

/** The lists' marketing consent filter (LGPD, decision 037): who may receive marketing, who refused, who was never asked. */
export function ConsentFilter({ value }: { value: string | null }) {
  const { t } = useI18n()
  return (
    <label className="grid gap-1 text-sm">
      {t('consent.title')}
      <Select name="consent" defaultValue={value ?? ''}>
        <option value="">{t('lists.any')}</option>
        <option value="granted">{t('consent.status.granted')}</option>
        <option value="revoked">{t('consent.status.revoked')}</option>
        <option value="none">{t('consent.status.unknown')}</option>
      </Select>
    </label>
  )
}

/** A from/to pair of day inputs (the end day included). */
export function DayRange({ label, fromName, toName }: { label: string; fromName: string; toName: string }) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  return (
    <fieldset className="grid gap-1 text-sm">
      <legend className="mb-1">{label}</legend>
      <div className="grid grid-cols-2 gap-2">
        <Input
          name={fromName}
          type="date"
          defaultValue={params.get(fromName) ?? ''}
          aria-label={`${label}: ${t('lists.fromDay')}`}
        />
        <Input
          name={toName}
          type="date"
          defaultValue={params.get(toName) ?? ''}
          aria-label={`${label}: ${t('lists.toDay')}`}
        />
      </div>
    </fieldset>
  )
}

/** Keeps the view and the chosen columns when the filter form is submitted (they are not filter fields). */
export function KeepParams({ keys }: { keys: readonly string[] }) {
  const [params] = useSearchParams()
  return (
    <>
      {keys.flatMap((k) =>
        params.getAll(k).map((v, i) => <input key={`${k}-${i}`} type="hidden" name={k} value={v} />),
      )}
    </>
  )
}

/** Tick the columns to show; the choice goes in the URL (`cols`), so it is part of a saved view. */
export function ColumnChooser({ columns, visible }: { columns: { id: string; label: string }[]; visible: string[] }) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  const keep = withoutPaging(params)
  keep.delete('cols')
  return (
    <form method="get" className="contents">
      {[...keep.entries()].map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <FilterPopover label={t('lists.columns')} align="end">
        <fieldset className="grid gap-1">
          <legend className="sr-only">{t('lists.columns')}</legend>
          {columns.map((c) => (
            <label key={c.id} className="flex items-center gap-2 rounded-sm px-1 py-1 text-sm hover:bg-accent">
              <input
                type="checkbox"
                name="cols"
                value={c.id}
                defaultChecked={visible.includes(c.id)}
                className="size-4 accent-primary"
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <Button type="submit" size="sm" className="mt-1">
          {t('lists.apply')}
        </Button>
      </FilterPopover>
    </form>
  )
}

export function IgnoredFilters({ ignored }: { ignored: string[] }) {
  const { t } = useI18n()
  if (!ignored.length) return null
  return (
    <p
      role="status"
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      {t('lists.ignored', { keys: ignored.join(', ') })}
    </p>
  )
}

export interface SavedViewItem {
  id: string
  name: string
  query: string
  shared: boolean
  mine: boolean
  canEdit: boolean
  ownerName: string | null
}

/**
 * Saved views: open one (its link is the whole state), save the current filters as a new view (personal or shared),
 * or update, rename or delete the open one when allowed.
 */
export function ViewsMenu({ list, views, basePath }: { list: ListName; views: SavedViewItem[]; basePath: string }) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  const location = useLocation()
  const navigation = useNavigation()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [dialog, setDialog] = useState<'create' | 'rename' | null>(null)
  const menuButton = useRef<HTMLButtonElement>(null)
  const formId = useId()
  const current = views.find((v) => v.id === params.get('view'))
  const query = normalizeViewQuery(list, location.search)
  const modified = current ? current.query !== query : false
  const saving = fetcher.state !== 'idle'
  // A saved, renamed or deleted view redirects to its list: the dialog's work is done when the location changes.
  useEffect(() => setDialog(null), [location.pathname, location.search])
  const mine = views.filter((v) => v.mine)
  const shared = views.filter((v) => !v.mine)
  const open = (v: SavedViewItem) => `${basePath}?${v.query}${v.query ? '&' : ''}view=${v.id}`
  const errors = fetcher.data?.ok === false ? fetcher.data.fieldErrors : undefined
  return (
    <div className="flex flex-wrap items-center gap-2">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            ref={menuButton}
            variant="outline"
            size="sm"
            data-testid="views-menu"
            aria-busy={navigation.state === 'loading'}
          >
            <span className="max-w-[12rem] truncate">{current ? current.name : t('lists.views')}</span>
            {modified ? <span className="text-xs text-muted-foreground">({t('lists.modified')})</span> : null}
            <span aria-hidden>▾</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          {[
            { label: t('lists.myViews'), items: mine },
            { label: t('lists.sharedViews'), items: shared },
          ].map((group) =>
            group.items.length ? (
              <div key={group.label}>
                <DropdownMenuLabel>{group.label}</DropdownMenuLabel>
                {group.items.map((v) => (
                  <DropdownMenuItem key={v.id} asChild>
                    <Link to={open(v)} aria-current={v.id === current?.id ? 'true' : undefined}>
                      <span className="flex-1 truncate">{v.name}</span>
                      {v.shared && v.mine ? (
                        <span className="text-xs text-muted-foreground">{t('lists.sharedBadge')}</span>
                      ) : null}
                      {!v.mine && v.ownerName ? (
                        <span className="text-xs text-muted-foreground">{v.ownerName}</span>
                      ) : null}
                    </Link>
                  </DropdownMenuItem>
                ))}
              </div>
            ) : null,
          )}
          {views.length === 0 ? (
            <p className="px-2 py-1.5 text-sm text-muted-foreground">{t('lists.noViews')}</p>
          ) : null}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setDialog('create')}>{t('lists.saveAsView')}</DropdownMenuItem>
          {current?.canEdit ? (
            <>
              <DropdownMenuItem
                disabled={!modified}
                onSelect={() =>
                  fetcher.submit(
                    { intent: 'update', id: current.id, list, query },
                    { method: 'post', action: '/app/views' },
                  )
                }
              >
                {t('lists.updateView')}
              </DropdownMenuItem>
              <DropdownMenuItem onSelect={() => setDialog('rename')}>{t('lists.renameView')}</DropdownMenuItem>
              <DropdownMenuItem
                className="text-destructive"
                onSelect={() =>
                  window.confirm(t('lists.deleteViewConfirm', { name: current.name })) &&
                  fetcher.submit({ intent: 'delete', id: current.id, list }, { method: 'post', action: '/app/views' })
                }
              >
                {t('lists.deleteView')}
              </DropdownMenuItem>
            </>
          ) : null}
          {current ? (
            <DropdownMenuItem asChild>
              <Link to={basePath}>{t('lists.closeView')}</Link>
            </DropdownMenuItem>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
      <Dialog open={dialog !== null} onOpenChange={(o) => !o && setDialog(null)}>
        <DialogContent
          closeLabel={t('common.close')}
          // Opened from a menu item, which is gone by then: focus goes back to the menu's button.
          onCloseAutoFocus={(event) => {
            event.preventDefault()
            menuButton.current?.focus()
          }}
        >
          <DialogTitle>{dialog === 'rename' ? t('lists.renameView') : t('lists.saveAsView')}</DialogTitle>
          <fetcher.Form method="post" action="/app/views" id={formId} className="grid gap-3">
            <input type="hidden" name="intent" value={dialog === 'rename' ? 'update' : 'create'} />
            <input type="hidden" name="list" value={list} />
            {dialog === 'rename' && current ? (
              <input type="hidden" name="id" value={current.id} />
            ) : (
              <input type="hidden" name="query" value={query} />
            )}
            <Field label={t('lists.viewName')} errors={errors?.name?.map((e) => t(e))}>
              {(control) => (
                <Input
                  {...control}
                  name="name"
                  required
                  maxLength={60}
                  defaultValue={dialog === 'rename' ? current?.name : ''}
                  autoFocus
                />
              )}
            </Field>
            {dialog === 'create' ? (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="shared" className="size-4 accent-primary" />
                {t('lists.shareWithAgency')}
              </label>
            ) : null}
          </fetcher.Form>
          <DialogFooter>
            <Button type="submit" form={formId} loading={saving}>
              {t('common.save')}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  )
}
