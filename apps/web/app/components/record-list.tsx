import { Form, Link, useNavigation, useSearchParams } from '@remix-run/react'
import type { ListName } from '@impera/api/schemas'
import {
  Button,
  Card,
  CardContent,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import type { ReactNode } from 'react'
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
}: RecordListProps<Row, Id>) {
  const totalLabel = useTotalLabel()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      {header}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <ViewsMenu list={list} views={data.views} basePath={basePath} />
        {toolbar ?? <ColumnChooser columns={columns} visible={data.columns} />}
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
        <EmptyList filtered={data.filtered} text={text} createTo={`${basePath}/new`} />
      ) : (
        <>
          {bulkBar}
          {body ?? (
            <RecordTable
              basePath={basePath}
              data={data}
              columns={columns}
              first={first}
              rowTestId={rowTestId}
              selection={selection}
            />
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
}: {
  filtered: boolean
  text: RecordListProps<never, never>['text']
  createTo: string
}) {
  return (
    <Card>
      <CardContent className="p-0 sm:p-0">
        <div className="grid justify-items-center gap-3 p-10 text-center text-muted-foreground">
          <p>{filtered ? text.empty : text.emptyAll}</p>
          {filtered ? null : (
            <Button asChild>
              <Link to={createTo}>{text.create}</Link>
            </Button>
          )}
        </div>
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
