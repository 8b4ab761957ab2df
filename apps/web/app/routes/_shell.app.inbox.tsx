import { ControlBadge, StatusBadge } from '../components/control-badge'
import { LabelChip } from '../components/inbox/conversation-labels'
import { ConversationsBulkBar } from '../components/inbox/conversations-bulk-bar'
import { useExportActions } from '../components/export-links'
import { PageHeader } from '../components/page-header'
import { data as respond, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, NavLink, Outlet, useLoaderData, useParams, useSearchParams } from '@remix-run/react'
import { MessageSquareText, MessagesSquare, SearchX, Settings } from 'lucide-react'
import { useCallback, useEffect, useState } from 'react'
import { ZListConversationsInput } from '@impera/api/schemas'
import { Button, cn, EmptyState, Input, Select } from '@impera/ui'
import {
  CursorPager,
  DayRange,
  FilterPopover,
  IgnoredFilters,
  KeepParams,
  useTotalLabel,
  ViewsMenu,
} from '../components/list-controls'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formText, type FormResult } from '../lib/forms'
import { useLive, useRevalidateOnWhatsapp } from '../lib/live'
import { bulkFilterOf, conversationListParams, parseListParams } from '../lib/list-params'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { PersonPicker } from '../components/person-picker'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  const { caller, country, timezone, assignees } = await recordsPageContext(context)
  // The inbox opens on what needs someone, like Chatwoot's: the open conversations; the tabs reach the others.
  const withStatus = new URLSearchParams(p)
  if (!withStatus.get('status')) withStatus.set('status', 'open')
  const { input, parsed, ignored } = parseListParams(
    ZListConversationsInput,
    withStatus,
    conversationListParams,
    timezone,
  )
  const [conversations, accounts, views, labels] = await Promise.all([
    caller.whatsapp.conversations(input),
    caller.whatsapp.accounts(),
    caller.views.list({ list: 'conversations' }),
    caller.whatsapp.labels(),
  ])
  return {
    conversations: conversations.rows.map((c) => ({
      ...c,
      phoneDisplay: displayPhones([c.contactPhone], country)[0]!,
    })),
    next: conversations.next,
    prev: conversations.prev,
    total: conversations.total,
    accounts,
    views,
    labels: labels.map((l) => l.label),
    ignored,
    assignees,
    filter: parsed.filter,
    status: parsed.status ?? 'all',
    sort: parsed.sort,
    dir: parsed.dir,
    moreFilters:
      ['assignee', 'linked', 'label', 'from', 'to'].filter((k) => p.get(k)).length +
      (parsed.sort !== 'lastMessageAt' || parsed.dir !== 'desc' ? 1 : 0),
    isManager: role === 'manager',
    bulkFilter: bulkFilterOf(withStatus, inboxFilterKeys, ignored),
  }
}

/** The inbox's filters (not its paging or order): what "all that match" stands for. */
const inboxFilterKeys = ['q', 'filter', 'status', 'label', 'assignee', 'linked', 'waiting', 'from', 'to']

/** The bulk bar's one intent: a change to the ticked conversations of this page, or to all that match its filters. */
export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  if (fd.get('intent') !== 'bulk') return new Response('Unknown intent', { status: 400 })
  const caller = await context.scope.caller()
  const kind = formText(fd, 'kind')
  const action =
    kind === 'status'
      ? { kind, status: formText(fd, 'status') }
      : kind === 'assign'
        ? { kind, assignedTo: formText(fd, 'assignedTo') || null }
        : { kind, label: formText(fd, 'label') }
  type Input = Parameters<typeof caller.whatsapp.bulk>[0]
  let input: Input = { ids: fd.getAll('id').map(String), action: action as Input['action'] }
  if (formText(fd, 'all') === '1') {
    const { timezone } = await caller.agency.get()
    const filter = parseListParams(
      ZListConversationsInput,
      new URLSearchParams(formText(fd, 'filter')),
      conversationListParams,
      timezone,
    )
    // A filter that does not read back whole would select more than was shown: refuse rather than widen.
    if (filter.ignored.length)
      return respond<FormResult>({ ok: false, formError: 'bulk.filterUnreadable' }, { status: 400 })
    input = { filter: filter.input as never, action: action as Input['action'] }
  }
  return runAction(
    context,
    () => caller.whatsapp.bulk(input),
    (r): FormResult =>
      // Over 500 runs in the background: the bar follows its progress and says when it is done.
      r.operation
        ? { ok: true, meta: { operation: r.operation } }
        : r.skipped
          ? {
              ok: true,
              message: 'whatsapp.bulk.doneSkipped',
              formErrorVars: { changed: r.changed, skipped: r.skipped },
            }
          : { ok: true, message: 'whatsapp.bulk.done', formErrorVars: { changed: r.changed } },
  )
}

const filters = ['all', 'mine', 'unassigned', 'unread', 'ai'] as const
const statusTabs = ['open', 'pending', 'resolved', 'all'] as const

/** The inbox: conversations on the left (the whole screen on a phone until one is opened), the open one on the right. */
export default function Inbox() {
  const { t, dateTime } = useI18n()
  const exports = useExportActions('conversations')
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const { id } = useParams()
  const { connected } = useLive()
  const totalLabel = useTotalLabel()
  useRevalidateOnWhatsapp()
  // Ticked conversations of this page: a new page or filter starts over.
  const [ticked, setTicked] = useState<Set<string>>(() => new Set())
  // "All that match the filters" instead of the ticked ones (the bar offers it once the page is ticked).
  const [allMatching, setAllMatching] = useState(false)
  const pageKey = data.conversations.map((c) => c.id).join()
  const paramKey = params.toString()
  useEffect(() => {
    setTicked(new Set())
    setAllMatching(false)
  }, [paramKey])
  const shownTicked = [...ticked].filter((x) => pageKey.includes(x))
  const pageTicked = data.conversations.length > 0 && shownTicked.length === data.conversations.length
  const clearTicked = useCallback(() => {
    setTicked(new Set())
    setAllMatching(false)
  }, [])
  const selectAllMatching = useCallback(() => setAllMatching(true), [])
  const query = (key: 'filter' | 'status', value: string) => {
    const next = new URLSearchParams(params)
    next.delete('after')
    next.delete('before')
    next.set(key, value)
    return `?${next}`
  }
  const waiting = params.get('waiting') === 'true'
  const waitingNext = new URLSearchParams(params)
  waitingNext.delete('after')
  waitingNext.delete('before')
  if (waiting) waitingNext.delete('waiting')
  else waitingNext.set('waiting', 'true')
  const waitingLink = `?${waitingNext}`
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <PageHeader
        title={t('whatsapp.title')}
        controls={
          <span
            className={cn(
              'flex items-center gap-1 text-sm',
              connected ? 'text-emerald-700 dark:text-emerald-400' : 'text-muted-foreground',
            )}
            data-testid="live-state"
            role="status"
          >
            <span
              className={cn('size-2 rounded-full', connected ? 'bg-emerald-500' : 'bg-muted-foreground')}
              aria-hidden
            />
            {connected ? t('whatsapp.live') : t('whatsapp.reconnecting')}
          </span>
        }
        actions={[
          { id: 'replies', label: t('quickReplies.title'), icon: MessageSquareText, to: '/app/quick-replies' },
          ...exports,
          data.isManager && {
            id: 'accounts',
            label: t('whatsapp.accountsTitle'),
            icon: Settings,
            to: '/app/settings/whatsapp',
          },
        ]}
      />
      <div className="grid min-h-[70dvh] gap-3 md:grid-cols-[20rem_1fr]">
        <section
          className={cn('flex min-w-0 flex-col gap-2 rounded-lg border p-2', id && 'hidden md:flex')}
          aria-label={t('whatsapp.title')}
        >
          <div className="flex items-center justify-between gap-2">
            <ViewsMenu list="conversations" views={data.views} basePath="/app/inbox" />
          </div>
          <Form method="get" role="search" className="grid gap-2">
            <KeepParams keys={['filter', 'status', 'view', 'waiting']} />
            <Input
              name="q"
              type="search"
              defaultValue={params.get('q') ?? ''}
              placeholder={t('whatsapp.search')}
              aria-label={t('whatsapp.search')}
            />
            <FilterPopover label={t('lists.moreFilters')} active={data.moreFilters} sheet>
              <div className="grid w-[min(18rem,80vw)] gap-3 p-1 max-sm:w-full">
                {data.isManager ? (
                  <label className="grid gap-1 text-sm">
                    {t('leads.assignee')}
                    <PersonPicker
                      name="assignee"
                      defaultValue={params.get('assignee') ?? ''}
                      choices={[{ value: '', label: t('records.anyone') }]}
                      people={data.assignees}
                    />
                  </label>
                ) : null}
                <label className="grid gap-1 text-sm">
                  {t('lists.linkedTo')}
                  <Select name="linked" defaultValue={params.get('linked') ?? ''}>
                    <option value="">{t('lists.any')}</option>
                    <option value="lead">{t('lists.linkedLead')}</option>
                    <option value="client">{t('lists.linkedClient')}</option>
                    <option value="none">{t('lists.linkedNone')}</option>
                  </Select>
                </label>
                {data.labels.length ? (
                  <label className="grid gap-1 text-sm">
                    {t('whatsapp.labels.filter')}
                    <Select name="label" defaultValue={params.get('label') ?? ''}>
                      <option value="">{t('whatsapp.labels.any')}</option>
                      {data.labels.map((l) => (
                        <option key={l} value={l}>
                          {l}
                        </option>
                      ))}
                    </Select>
                  </label>
                ) : null}
                <DayRange label={t('lists.lastMessage')} fromName="from" toName="to" />
                <label className="grid gap-1 text-sm">
                  {t('lists.sortBy')}
                  <Select name="sort" defaultValue={data.sort}>
                    <option value="lastMessageAt">{t('lists.conversationSorts.lastMessageAt')}</option>
                    <option value="waitingSince">{t('lists.conversationSorts.waitingSince')}</option>
                    <option value="contact">{t('lists.conversationSorts.contact')}</option>
                  </Select>
                </label>
                <label className="grid gap-1 text-sm">
                  {t('lists.direction')}
                  <Select name="dir" defaultValue={data.dir}>
                    <option value="desc">{t('lists.descending')}</option>
                    <option value="asc">{t('lists.ascending')}</option>
                  </Select>
                </label>
                <Button type="submit" size="sm">
                  {t('lists.apply')}
                </Button>
              </div>
            </FilterPopover>
          </Form>
          <IgnoredFilters ignored={data.ignored} />
          <nav
            className="grid grid-cols-4 rounded-md bg-muted p-0.5 text-xs"
            aria-label={t('whatsapp.state.label')}
            data-testid="status-tabs"
          >
            {statusTabs.map((s) => (
              <Link
                key={s}
                to={query('status', s)}
                className={cn(
                  'rounded px-2 py-1 text-center font-medium focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
                  data.status === s ? 'bg-background shadow-sm' : 'text-muted-foreground',
                )}
                aria-current={data.status === s ? 'page' : undefined}
              >
                {t(`whatsapp.state.tabs.${s}`)}
              </Link>
            ))}
          </nav>
          <nav className="flex flex-wrap gap-1" aria-label={t('whatsapp.title')}>
            {filters.map((f) => (
              <Link
                key={f}
                to={query('filter', f)}
                className={cn(
                  'rounded-full px-3 py-1 text-xs font-medium',
                  data.filter === f ? 'bg-primary text-primary-foreground' : 'bg-muted text-muted-foreground',
                )}
                aria-current={data.filter === f ? 'page' : undefined}
              >
                {t(`whatsapp.${f}`)}
              </Link>
            ))}
            <Link
              to={waitingLink}
              className={cn(
                'rounded-full px-3 py-1 text-xs font-medium',
                waiting ? 'bg-primary text-primary-foreground' : 'bg-muted text-muted-foreground',
              )}
              // A link that turns a filter on or off: "current" while it applies (aria-pressed is for buttons).
              aria-current={waiting ? 'true' : undefined}
              data-testid="waiting-filter"
            >
              {t('lists.waitingReply')}
            </Link>
          </nav>
          {data.conversations.length === 0 ? (
            data.filter === 'all' && data.status === 'all' && !params.get('q') && !waiting && !data.moreFilters ? (
              <EmptyState icon={MessagesSquare} compact>
                {t('whatsapp.empty')}
              </EmptyState>
            ) : (
              <EmptyState icon={SearchX} compact>
                {t('whatsapp.emptyFilter')}
              </EmptyState>
            )
          ) : null}
          {data.conversations.length ? (
            <label className="flex items-center gap-2 px-1 text-sm text-muted-foreground">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={pageTicked}
                onChange={(e) => {
                  setAllMatching(false)
                  setTicked(e.target.checked ? new Set(data.conversations.map((c) => c.id)) : new Set())
                }}
                data-testid="conversation-select-page"
              />
              {t('whatsapp.bulk.selectPage')}
            </label>
          ) : null}
          {shownTicked.length ? (
            <ConversationsBulkBar
              ids={shownTicked}
              onDone={clearTicked}
              assignees={data.isManager ? data.assignees : null}
              matching={{
                total: data.total.count,
                pageTicked,
                all: allMatching,
                filter: data.bulkFilter,
                onSelectAll: selectAllMatching,
              }}
            />
          ) : null}
          <ul className="grid gap-1 overflow-y-auto" data-testid="conversation-list">
            {data.conversations.map((c) => (
              <li key={c.id} className="flex items-start gap-1">
                <input
                  type="checkbox"
                  className="mt-2.5 size-4 shrink-0 accent-primary"
                  checked={ticked.has(c.id)}
                  onChange={(e) => {
                    setAllMatching(false)
                    setTicked((s) => {
                      const next = new Set(s)
                      if (e.target.checked) next.add(c.id)
                      else next.delete(c.id)
                      return next
                    })
                  }}
                  aria-label={t('whatsapp.bulk.select', { name: c.displayName || c.phoneDisplay })}
                  data-testid="conversation-select"
                />
                <NavLink
                  to={`/app/inbox/${c.id}${params.toString() ? `?${params}` : ''}`}
                  className={({ isActive }) =>
                    cn(
                      'grid min-w-0 flex-1 gap-0.5 rounded-md p-2 text-sm hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
                      isActive && 'bg-accent',
                    )
                  }
                  data-testid="conversation-item"
                >
                  <span className="flex items-center justify-between gap-2">
                    <span className={cn('truncate', c.unread > 0 && 'font-semibold')}>
                      {c.displayName || c.phoneDisplay}
                    </span>
                    {c.unread > 0 ? (
                      <span
                        className="rounded-full bg-primary px-2 text-xs text-primary-foreground"
                        aria-label={`${c.unread} ${t('whatsapp.unread')}`}
                      >
                        {c.unread}
                      </span>
                    ) : null}
                  </span>
                  <span className="truncate text-xs text-muted-foreground">{c.lastMessagePreview}</span>
                  <span className="text-xs text-muted-foreground">
                    {c.lastMessageAt ? dateTime(c.lastMessageAt) : ''}
                    {c.assigneeName ? ` · ${c.assigneeName}` : ''}
                  </span>
                  <span className="flex flex-wrap gap-1">
                    <ControlBadge controller={c.controller} />
                    {c.status !== 'open' ? <StatusBadge status={c.status} /> : null}
                    {c.labels.map((l) => (
                      <LabelChip key={l} label={l} />
                    ))}
                  </span>
                </NavLink>
              </li>
            ))}
          </ul>
          <CursorPager
            next={data.next}
            prev={data.prev}
            totalLabel={totalLabel(data.total, 'lists.conversationsTotal')}
          />
        </section>
        <section className={cn('min-w-0 rounded-lg border', !id && 'hidden md:block')}>
          <Outlet />
        </section>
      </div>
    </div>
  )
}
