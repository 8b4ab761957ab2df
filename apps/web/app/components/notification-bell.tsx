import { Link, useLocation } from '@remix-run/react'
import { notificationPath } from '@impera/api/links'
import {
  Button,
  cn,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@impera/ui'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n'
import { useLiveSignal } from '../lib/live'
import { trpc } from '../lib/trpc-client'

interface Item {
  id: string
  kind: string
  entity: string
  entityId: string
  data: Record<string, string | number | null>
  count: number
  updatedAt: string | Date
  readAt: string | Date | null
}

/** Keeps "(3) " in front of whatever title the page set, so the tab shows the unread count. */
function useTitleCount(count: number) {
  const location = useLocation()
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\+?\) /, '')
    document.title = count > 0 ? `(${count > 99 ? '99+' : count}) ${base}` : base
  }, [count, location.key])
}

/**
 * The bell: unread count (from the shell on first paint, then live), the latest notifications, mark one or all read.
 * A `notifications:changed` signal (raised in the same transaction as the notification) refetches the list.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const { t, dateTime } = useI18n()
  const [items, setItems] = useState<Item[] | null>(null)
  const [unread, setUnread] = useState(initialUnread)
  const [open, setOpen] = useState(false)
  const [failed, setFailed] = useState(false)
  const [hasMore, setHasMore] = useState(false)
  const [loadingMore, setLoadingMore] = useState(false)
  const seq = useRef(0)
  const load = useCallback(async () => {
    const mine = ++seq.current
    try {
      const r = await trpc.notifications.list.query()
      // A slower, older answer never overwrites a newer one.
      if (mine !== seq.current) return
      setItems(r.items as Item[])
      setHasMore(r.hasMore)
      setUnread(r.unread)
      setFailed(false)
    } catch {
      if (mine === seq.current) setFailed(true)
    }
  }, [])
  // Older pages append below; a live refresh starts again from the newest.
  const loadMore = async () => {
    const last = items?.at(-1)
    if (!last || loadingMore) return
    const mine = seq.current
    setLoadingMore(true)
    try {
      const r = await trpc.notifications.list.query({ before: new Date(last.updatedAt), beforeId: last.id })
      if (mine !== seq.current) return
      setItems((xs) => [...(xs ?? []), ...(r.items as Item[]).filter((n) => !xs?.some((x) => x.id === n.id))])
      setHasMore(r.hasMore)
    } catch {
      if (mine === seq.current) setFailed(true)
    } finally {
      setLoadingMore(false)
    }
  }
  useLiveSignal('notifications:changed', () => void load(), 150)
  useEffect(() => setUnread(initialUnread), [initialUnread])
  useTitleCount(unread)
  // Marking read is optimistic: the count and the row change at once; a failure reloads the truth.
  const markRead = (n: Item) => {
    if (n.readAt) return
    setItems((xs) => xs?.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)) ?? null)
    setUnread((u) => Math.max(0, u - 1))
    trpc.notifications.markRead.mutate({ id: n.id }).catch(() => void load())
  }
  const markAll = () => {
    setItems((xs) => xs?.map((x) => ({ ...x, readAt: x.readAt ?? new Date().toISOString() })) ?? null)
    setUnread(0)
    trpc.notifications.markAllRead.mutate().catch(() => void load())
  }
  const text = (n: Item) =>
    // An SLA breach with nobody left to take the lead reads differently from one that moved it on.
    t(`notifications.kinds.${n.kind === 'lead_sla_breached' && !n.data.to ? 'lead_sla_breached_stuck' : n.kind}`, {
      ...Object.fromEntries(Object.entries(n.data).map(([k, v]) => [k, v ?? ''])),
      // A task's time, frozen as an instant, reads in the agency's zone.
      when: typeof n.data.dueAt === 'string' ? dateTime(n.data.dueAt) : '',
      count: n.count,
    })
  return (
    <DropdownMenu
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (o) void load()
      }}
    >
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label={t('notifications.bell', { count: unread })}
          data-testid="notification-bell"
        >
          <svg
            aria-hidden
            viewBox="0 0 24 24"
            className="size-5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          >
            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {unread > 0 ? (
            <span
              className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-destructive px-1 text-center text-[11px] leading-5 font-semibold text-destructive-foreground"
              data-testid="notification-count"
            >
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-[min(24rem,calc(100vw-1.5rem))]">
        <div className="flex items-center justify-between gap-2 px-2 py-1.5">
          <DropdownMenuLabel className="p-0">{t('notifications.title')}</DropdownMenuLabel>
          {unread > 0 ? (
            <Button variant="link" size="sm" className="h-auto p-0" onClick={markAll}>
              {t('notifications.markAll')}
            </Button>
          ) : null}
        </div>
        <DropdownMenuSeparator />
        {failed ? (
          <p className="px-2 py-4 text-center text-sm text-destructive">{t('errors.internal')}</p>
        ) : items === null ? (
          <p className="px-2 py-4 text-center text-sm text-muted-foreground" role="status">
            {t('common.loading')}
          </p>
        ) : items.length === 0 ? (
          <p className="px-2 py-4 text-center text-sm text-muted-foreground">{t('notifications.empty')}</p>
        ) : (
          <div className="max-h-[60vh] overflow-y-auto" data-testid="notification-list">
            {items.map((n) => (
              <DropdownMenuItem key={n.id} asChild>
                <Link
                  to={notificationPath(n)}
                  onClick={() => markRead(n)}
                  className={cn('flex flex-col items-start gap-0.5 whitespace-normal', !n.readAt && 'bg-accent/50')}
                >
                  <span className={cn('text-sm', !n.readAt && 'font-semibold')}>
                    {!n.readAt ? <span className="sr-only">{t('notifications.unread')} </span> : null}
                    {text(n)}
                  </span>
                  <span className="text-xs text-muted-foreground">{dateTime(n.updatedAt)}</span>
                </Link>
              </DropdownMenuItem>
            ))}
            {hasMore ? (
              <DropdownMenuItem
                className="justify-center text-sm text-muted-foreground"
                disabled={loadingMore}
                data-testid="notification-more"
                onSelect={(e) => {
                  // Stays open: the older ones appear below.
                  e.preventDefault()
                  void loadMore()
                }}
              >
                {loadingMore ? t('common.loading') : t('notifications.more')}
              </DropdownMenuItem>
            ) : null}
          </div>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
