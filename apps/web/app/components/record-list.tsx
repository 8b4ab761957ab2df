import { Form, Link, useNavigation, useSearchParams } from '@remix-run/react'
import type { ListName } from '@impera/api/schemas'
import {
  Button,
  Card,
  CardContent,
  cn,
  EmptyState,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { MessageCircle, Phone, Plus, SearchX, type LucideIcon } from 'lucide-react'
import { useRef, useState, type ReactNode } from 'react'
import { useI18n } from '../i18n'
import {
  ColumnChooser,
  CursorPager,
  FoldedFilters,
  IgnoredFilters,
  KeepParams,
  SortHeader,
  useTotalLabel,
  ViewsMenu,
  type SavedViewItem,
} from './list-controls'

/**
 * The list pages of records (leads, clients, properties) share this frame: saved views and the column chooser, the
 * filter form, the table with sortable headers, an empty state and the cursor pager. A page brings its loader, its
 * columns and its filters.
 */

/** One column a person can show or hide; its id is the value of `cols` (and of `sort` when sortable). */
export interface ListColumn<Row, Id extends string = string> {
  id: Id
  label: string
  sortable: boolean
  className?: string
  cell: (row: Row) => ReactNode
}

/** What a list page's loader returns for the frame. */
export interface RecordListData<Row extends { id: string }, Id extends string> {
  rows: Row[]
  next: string | null
  prev: string | null
  total: { count: number; exact: boolean }
  views: SavedViewItem[]
  ignored: string[]
  /** The columns shown, in the URL's order or the list's defaults. */
  columns: Id[]
  sort: string
  dir: 'asc' | 'desc'
  filtered: boolean
}

export interface RecordListProps<Row extends { id: string }, Id extends string> {
  list: ListName
  /** The list's path: the filter form's loading state, the reset link and `${basePath}/new`. */
  basePath: string
  header: ReactNode
  data: RecordListData<Row, Id>
  columns: ListColumn<Row, Id>[]
  /** The first column, always shown: the record's link. */
  first: { column: string; label: string; className?: string; cell: (row: Row) => ReactNode }
  rowTestId: string
  text: {
    search: string
    filter: string
    clear: string
    /** Shown when filters match nothing. */
    empty: string
    /** Shown when there is nothing at all, with a link to create the first record. */
    emptyAll: string
    create: string
    /** The i18n key of the total ("{total} leads"). */
    totalKey: string
  }
  /** The URL keys that filter, so the folded filters on small screens show how many are active. */
  filterKeys: readonly string[]
  /** The page's own filter fields, after the search box. */
  filters: ReactNode
  /** Tailwind classes of the filter form's grid and of its buttons, sized to the page's filters. */
  grid: { form: string; actions: string }
  /** Other URL keys the filter form keeps besides the view, columns and sort. */
  keep?: readonly string[]
  /** Where "clear" leads; the bare list by default. */
  clearTo?: string
  /** Beside the saved views; the column chooser by default. */
  toolbar?: ReactNode
  /** Drawn instead of the table when there are rows (another layout). */
  body?: ReactNode
  /** Row checkboxes for bulk actions (decision 028), and the action bar shown above the table. */
  selection?: RowSelection
  bulkBar?: ReactNode
  /** On a phone the rows are cards (the table from `sm` up): what a row's card shows. */
  card?: (row: Row) => RecordCardContent
  /** The empty list's picture: what the list holds. */
  emptyIcon: LucideIcon
}

/** A row as a card on a phone: the link, a line under it, badges, and the person's phone for the swipe actions. */
export interface RecordCardContent {
  title: string
  to: string
  /** The record's page, whose action opens (or starts) the WhatsApp conversation. */
  whatsapp?: string
  subtitle?: ReactNode
  badges?: ReactNode
  meta?: ReactNode
  phone?: { e164: string; display: string } | null
}

/** Which rows are ticked; `all` means every record the filters match, not only this page's. */
export interface RowSelection {
  selected: ReadonlySet<string>
  all: boolean
  toggle: (id: string, on: boolean) => void
  togglePage: (on: boolean) => void
  label: (row: { id: string }) => string
  pageLabel: string
}

/** True while the list itself is loading (filters, sort, page), not while leaving it. */
export function useListLoading(basePath: string): boolean {
  const navigation = useNavigation()
  return navigation.state === 'loading' && navigation.location?.pathname === basePath
}

export function RecordList<Row extends { id: string }, Id extends string>({
  list,
  basePath,
  header,
  data,
  columns,
  first,
  rowTestId,
  text,
  filterKeys,
  filters,
  grid,
  keep = [],
  clearTo = basePath,
  toolbar,
  body,
  selection,
  bulkBar,
  card,
  emptyIcon,
}: RecordListProps<Row, Id>) {
  const totalLabel = useTotalLabel()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      {header}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <ViewsMenu list={list} views={data.views} basePath={basePath} />
        {toolbar ?? (
          // Columns mean nothing to the phone's cards.
          <div className={card ? 'hidden sm:block' : undefined}>
            <ColumnChooser columns={columns} visible={data.columns} />
          </div>
        )}
      </div>
      <FilterForm
        basePath={basePath}
        text={text}
        filterKeys={filterKeys}
        grid={grid}
        keep={keep}
        clearTo={clearTo}
        filtered={data.filtered}
      >
        {filters}
      </FilterForm>
      <IgnoredFilters ignored={data.ignored} />
      {data.rows.length === 0 ? (
        <EmptyList filtered={data.filtered} text={text} createTo={`${basePath}/new`} icon={emptyIcon} />
      ) : (
        <>
          {bulkBar}
          {body ?? (
            <>
              {card ? <RecordCards rows={data.rows} card={card} selection={selection} basePath={basePath} /> : null}
              <div className={card ? 'hidden sm:block' : undefined}>
                <RecordTable
                  basePath={basePath}
                  data={data}
                  columns={columns}
                  first={first}
                  rowTestId={rowTestId}
                  selection={selection}
                />
              </div>
            </>
          )}
        </>
      )}
      <CursorPager next={data.next} prev={data.prev} totalLabel={totalLabel(data.total, text.totalKey)} />
    </div>
  )
}

function FilterForm({
  basePath,
  text,
  filterKeys,
  grid,
  keep,
  clearTo,
  filtered,
  children,
}: Pick<RecordListProps<never, never>, 'basePath' | 'text' | 'filterKeys' | 'grid'> & {
  keep: readonly string[]
  clearTo: string
  filtered: boolean
  children: ReactNode
}) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  const loading = useListLoading(basePath)
  return (
    <Form
      method="get"
      className={`grid gap-2 sm:grid-cols-2 ${grid.form}`}
      role="search"
      aria-label={t('lists.filters')}
    >
      <KeepParams keys={['view', 'cols', 'sort', 'dir', ...keep]} />
      <Input
        name="q"
        type="search"
        defaultValue={params.get('q') ?? ''}
        placeholder={text.search}
        aria-label={text.search}
        className="lg:col-span-2"
      />
      <FoldedFilters active={filterKeys.filter((k) => k !== 'q' && params.get(k)).length}>{children}</FoldedFilters>
      <div className={`flex gap-2 ${grid.actions} lg:justify-end`}>
        <Button type="submit" variant="secondary" loading={loading}>
          {text.filter}
        </Button>
        {filtered ? (
          <Button asChild variant="ghost">
            <Link to={clearTo}>{text.clear}</Link>
          </Button>
        ) : null}
      </div>
    </Form>
  )
}

function EmptyList({
  filtered,
  text,
  createTo,
  icon,
}: {
  filtered: boolean
  text: RecordListProps<never, never>['text']
  createTo: string
  icon: LucideIcon
}) {
  return (
    <Card>
      <CardContent className="p-0 sm:p-0">
        <EmptyState
          icon={filtered ? SearchX : icon}
          action={
            filtered ? null : (
              <Button asChild>
                <Link to={createTo}>
                  <Plus aria-hidden />
                  {text.create}
                </Link>
              </Button>
            )
          }
        >
          {filtered ? text.empty : text.emptyAll}
        </EmptyState>
      </CardContent>
    </Card>
  )
}

/** The rows as a table: the first column, then the chosen ones, with sortable headers where the list sorts by them. */
function RecordTable<Row extends { id: string }, Id extends string>({
  basePath,
  data,
  columns,
  first,
  rowTestId,
  selection,
}: Pick<RecordListProps<Row, Id>, 'basePath' | 'data' | 'columns' | 'first' | 'rowTestId' | 'selection'>) {
  const loading = useListLoading(basePath)
  const visible = columns.filter((c) => data.columns.includes(c.id))
  const pageTicked = !!selection && data.rows.every((r) => selection.all || selection.selected.has(r.id))
  return (
    <Card>
      <CardContent className="p-0 sm:p-0">
        <Table aria-busy={loading} className={loading ? 'opacity-60 transition-opacity' : undefined}>
          <TableHeader>
            <TableRow>
              {selection ? (
                <TableHead className="w-10">
                  {/* A finger-sized target around a small box. */}
                  <label className="-m-3 inline-flex p-3">
                    <input
                      type="checkbox"
                      aria-label={selection.pageLabel}
                      checked={pageTicked}
                      onChange={(e) => selection.togglePage(e.currentTarget.checked)}
                      className="size-4 accent-[var(--color-primary)]"
                    />
                  </label>
                </TableHead>
              ) : null}
              <SortHeader column={first.column} label={first.label} sort={data.sort} dir={data.dir} />
              {visible.map((c) =>
                c.sortable ? (
                  <SortHeader
                    key={c.id}
                    column={c.id}
                    label={c.label}
                    sort={data.sort}
                    dir={data.dir}
                    className={c.className}
                  />
                ) : (
                  <TableHead key={c.id} className={c.className}>
                    {c.label}
                  </TableHead>
                ),
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.rows.map((r) => (
              <TableRow key={r.id} data-testid={rowTestId}>
                {selection ? (
                  <TableCell className="w-10">
                    <label className="-m-3 inline-flex p-3">
                      <input
                        type="checkbox"
                        aria-label={selection.label(r)}
                        checked={selection.all || selection.selected.has(r.id)}
                        onChange={(e) => selection.toggle(r.id, e.currentTarget.checked)}
                        className="size-4 accent-[var(--color-primary)]"
                      />
                    </label>
                  </TableCell>
                ) : null}
                <TableCell className={first.className}>{first.cell(r)}</TableCell>
                {visible.map((c) => (
                  <TableCell key={c.id} className={c.className}>
                    {c.cell(r)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  )
}

/**
 * The rows as cards on a phone (the table is hidden below `sm`): the key fields in two lines, the checkbox for bulk
 * actions, and "Ligar" / "WhatsApp" behind each card — swiped open from the right with a finger, or reached with Tab
 * (focus slides the card open), so the actions never depend on the gesture.
 */
function RecordCards<Row extends { id: string }>({
  rows,
  card,
  selection,
  basePath,
}: {
  rows: Row[]
  card: (row: Row) => RecordCardContent
  selection?: RowSelection
  basePath: string
}) {
  const loading = useListLoading(basePath)
  const pageTicked = !!selection && rows.every((r) => selection.all || selection.selected.has(r.id))
  return (
    // One column that never grows past the screen (a grid's auto column takes its widest card's unbroken text).
    <div className="grid grid-cols-1 gap-2 sm:hidden">
      {selection ? (
        <label className="flex items-center gap-3 px-3 py-1 text-sm text-muted-foreground">
          <input
            type="checkbox"
            checked={pageTicked}
            onChange={(e) => selection.togglePage(e.currentTarget.checked)}
            className="size-4 accent-[var(--color-primary)]"
          />
          {selection.pageLabel}
        </label>
      ) : null}
      <ul className={cn('grid grid-cols-1 gap-2', loading && 'opacity-60 transition-opacity')} aria-busy={loading}>
        {rows.map((r) => (
          <li key={r.id} className="min-w-0">
            <SwipeCard row={r} content={card(r)} selection={selection} />
          </li>
        ))}
      </ul>
    </div>
  )
}

/** How far a card slides to show its actions (two 80 px buttons). */
const SWIPE_WIDTH = 160

function SwipeCard<Row extends { id: string }>({
  row,
  content: c,
  selection,
}: {
  row: Row
  content: RecordCardContent
  selection?: RowSelection
}) {
  const { t } = useI18n()
  const [offset, setOffset] = useState(0)
  const [dragging, setDragging] = useState(false)
  const drag = useRef<{ x: number; y: number; from: number; horizontal: boolean | null; moved: boolean } | null>(null)
  const swiped = useRef(false)
  const hasActions = !!(c.phone || c.whatsapp)
  const onPointerDown = (e: React.PointerEvent) => {
    if (!hasActions || e.button !== 0) return
    drag.current = { x: e.clientX, y: e.clientY, from: offset, horizontal: null, moved: false }
  }
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (!d) return
    const dx = e.clientX - d.x
    const dy = e.clientY - d.y
    if (d.horizontal === null) {
      // The first 8 px decide: sideways is ours, up and down is the page's scroll (touch-action: pan-y).
      if (Math.abs(dx) < 8 && Math.abs(dy) < 8) return
      d.horizontal = Math.abs(dx) > Math.abs(dy)
      if (!d.horizontal) return
      e.currentTarget.setPointerCapture(e.pointerId)
      setDragging(true)
    }
    if (!d.horizontal) return
    d.moved = true
    setOffset(Math.max(-SWIPE_WIDTH, Math.min(0, d.from + dx)))
  }
  const onPointerUp = () => {
    const d = drag.current
    drag.current = null
    if (!d?.horizontal) return
    setDragging(false)
    // A swipe is not a tap: the click that follows it must not open the record.
    swiped.current = d.moved
    setOffset((o) => (o < -SWIPE_WIDTH / 3 ? -SWIPE_WIDTH : 0))
  }
  return (
    <div className="relative overflow-hidden rounded-lg border bg-card" data-testid="record-card">
      <div
        className={cn(
          'relative z-10 flex touch-pan-y items-start gap-3 bg-card p-3',
          !dragging && 'transition-transform duration-200',
        )}
        style={{ transform: `translateX(${offset}px)` }}
        data-card-face
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onClickCapture={(e) => {
          if (!swiped.current) return
          swiped.current = false
          e.preventDefault()
          e.stopPropagation()
        }}
      >
        {selection ? (
          // Above the link's whole-card target.
          <label className="relative z-10 -m-3 inline-flex p-3">
            <input
              type="checkbox"
              aria-label={selection.label(row)}
              checked={selection.all || selection.selected.has(row.id)}
              onChange={(e) => selection.toggle(row.id, e.currentTarget.checked)}
              className="size-4 accent-[var(--color-primary)]"
            />
          </label>
        ) : null}
        <div className="grid min-w-0 flex-1 grid-cols-1 gap-1">
          <div className="flex items-start justify-between gap-2">
            <Link
              to={c.to}
              // A drag of the card is a swipe, not the browser's drag of a link.
              draggable={false}
              className="min-w-0 truncate font-medium text-primary after:absolute after:inset-0 focus-visible:underline focus-visible:outline-none"
            >
              {c.title}
            </Link>
            {c.badges ? <span className="flex shrink-0 flex-wrap gap-1">{c.badges}</span> : null}
          </div>
          {c.subtitle ? <div className="truncate text-sm text-muted-foreground">{c.subtitle}</div> : null}
          {c.meta ? <div className="truncate text-xs text-muted-foreground">{c.meta}</div> : null}
        </div>
      </div>
      {/* After the card's face in the DOM, so Tab reaches them right after its link; painted under it. */}
      {hasActions ? (
        <div
          className="absolute inset-y-0 right-0 flex"
          style={{ width: SWIPE_WIDTH }}
          onFocus={() => setOffset(-SWIPE_WIDTH)}
          onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node) && setOffset(0)}
        >
          {c.phone ? (
            <a
              href={`tel:${c.phone.e164}`}
              aria-label={t('records.callPhone', { phone: c.phone.display })}
              className="flex flex-1 flex-col items-center justify-center gap-1 bg-sky-700 text-xs font-medium text-white focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none focus-visible:ring-inset"
            >
              <Phone aria-hidden className="size-5" />
              {t('records.call')}
            </a>
          ) : null}
          {c.whatsapp ? (
            <Form method="post" action={`${c.whatsapp}?index`} className="flex flex-1">
              <input type="hidden" name="intent" value="whatsapp" />
              <button
                type="submit"
                className="flex flex-1 flex-col items-center justify-center gap-1 bg-emerald-700 text-xs font-medium text-white focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none focus-visible:ring-inset"
              >
                <MessageCircle aria-hidden className="size-5" />
                WhatsApp
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
