import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useFetchers, useLoaderData, useSearchParams } from '@remix-run/react'
import { wallClock, zonedInstant } from '@impera/api/zoned-time'
import { isCalendarDay } from '@impera/api/schemas'
import { Button, Card, CardContent, cn } from '@impera/ui'
import { CalendarCheck, ChevronLeft, ChevronRight, Home } from 'lucide-react'
import { useState, type DragEvent } from 'react'
import type { TaskItem } from '../components/task-dialog'
import { lazyPart } from '../lib/lazy-part'
import { dateTimeFormat } from '../lib/intl'

const TaskDialog = lazyPart(() => import('../components/task-dialog').then((m) => m.TaskDialog))
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm } from '../lib/actions.server'
import type { FormResult } from '../lib/forms'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { runTaskIntent } from '../lib/task-actions.server'
import { PersonPicker } from '../components/person-picker'
import { PageHeader } from '../components/page-header'

/**
 * The calendar (decision 025): a day, a week or a month of tasks and visits in the agency's zone. On a laptop a task
 * is dragged to another day or hour to reschedule it (the keyboard and the phone use the task's own "edit" and "move
 * to tomorrow"); on a phone the week reads as a list of days.
 */
const views = ['day', 'week', 'month'] as const
type View = (typeof views)[number]
const FIRST_HOUR = 6
const LAST_HOUR = 23
const HOUR_PX = 48
const DAY_MS = 86_400_000

type Day = { y: number; m: number; d: number }
const dayKey = ({ y, m, d }: Day) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
const parseDay = (s: string): Day => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  return { y, m, d }
}
/** A calendar day moved by n days (UTC arithmetic on the date alone: no zone involved). */
const addDays = (day: Day, n: number): Day => {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d) + n * DAY_MS)
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}
const weekday = (day: Day) => (new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay() + 6) % 7 // Monday = 0

/** The days a view shows around `day`: the day, its week from Monday, or the month's weeks. */
function visibleDays(view: View, day: Day): Day[] {
  if (view === 'day') return [day]
  if (view === 'week') {
    const monday = addDays(day, -weekday(day))
    return Array.from({ length: 7 }, (_, i) => addDays(monday, i))
  }
  const first = { y: day.y, m: day.m, d: 1 }
  const start = addDays(first, -weekday(first))
  const last = addDays({ y: day.m === 12 ? day.y + 1 : day.y, m: (day.m % 12) + 1, d: 1 }, -1)
  const weeks = Math.ceil((weekday(first) + last.d) / 7)
  return Array.from({ length: weeks * 7 }, (_, i) => addDays(start, i))
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, assignees, timezone } = await recordsPageContext(context)
  const url = new URL(request.url)
  const view: View = views.find((v) => v === url.searchParams.get('view')) ?? 'week'
  const now = wallClock(new Date(), timezone)
  const asked = url.searchParams.get('day') ?? ''
  const day = isCalendarDay(asked) ? parseDay(asked) : { y: now.year, m: now.month, d: now.day }
  const isManager = role === 'manager'
  const askedWho = url.searchParams.get('who') ?? 'me'
  const who = isManager && (askedWho === 'all' || assignees.some((a) => a.userId === askedWho)) ? askedWho : 'me'
  const days = visibleDays(view, day)
  const first = days[0]!
  const after = addDays(days[days.length - 1]!, 1)
  const tasks = await caller.tasks.list({
    who,
    from: new Date(zonedInstant(timezone, first.y, first.m, first.d)),
    to: new Date(zonedInstant(timezone, after.y, after.m, after.d)),
    status: ['open', 'done'],
  })
  return {
    view,
    day: dayKey(day),
    today: dayKey({ y: now.year, m: now.month, d: now.day }),
    days: days.map(dayKey),
    who,
    tasks,
    people: { assignees, me: identity.userId, isManager },
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  return (await runTaskIntent(context, caller, fd)) ?? new Response('Unknown intent', { status: 400 })
}

/** Where each task sits: its day and minutes after midnight in the agency's zone, moved while a drag is saving. */
function usePlaced(tasks: TaskItem[], timeZone: string) {
  const pending = new Map<string, { date: string; time: string }>()
  for (const f of useFetchers())
    if (f.formData?.get('intent') === 'task.reschedule')
      pending.set(String(f.formData.get('taskId')), {
        date: String(f.formData.get('date')),
        time: String(f.formData.get('time')),
      })
  return tasks.map((task) => {
    const moved = pending.get(task.id)
    if (moved) {
      const [h, m] = moved.time.split(':').map(Number)
      return { task, day: moved.date, minutes: h! * 60 + m! }
    }
    const w = wallClock(new Date(task.dueAt), timeZone)
    return { task, day: dayKey({ y: w.year, m: w.month, d: w.day }), minutes: w.hour * 60 + w.minute }
  })
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

export default function CalendarPage() {
  const { t, locale, timeZone } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params, setParams] = useSearchParams()
  const mover = useFetcher<FormResult>()
  useResultToast(mover.data)
  useLiveSignal('tasks:changed', useBackgroundRevalidate())
  const [editing, setEditing] = useState<TaskItem | null>(null)
  const tasks = data.tasks as unknown as TaskItem[]
  const placed = usePlaced(tasks, timeZone)
  const view = data.view as View
  const day = parseDay(data.day)
  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(changes)) next.set(k, v)
    setParams(next)
  }
  const step = view === 'day' ? 1 : view === 'week' ? 7 : 0
  const shift = (dir: 1 | -1) =>
    go({
      day:
        step > 0
          ? dayKey(addDays(day, dir * step))
          : dayKey({
              y: day.m + dir > 12 ? day.y + 1 : day.m + dir < 1 ? day.y - 1 : day.y,
              m: ((day.m + dir + 11) % 12) + 1,
              d: 1,
            }),
    })
  const dayName = (key: string, style: 'short' | 'long') => {
    const d = parseDay(key)
    return dateTimeFormat(locale, { weekday: style, day: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(d.y, d.m - 1, d.d)),
    )
  }
  const title = dateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    ...(view === 'day' ? { day: 'numeric', weekday: 'long' } : {}),
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(day.y, day.m - 1, day.d)))
  const move = (taskId: string, date: string, minutes: number) =>
    mover.submit({ intent: 'task.reschedule', taskId, date, time: hhmm(minutes) }, { method: 'post' })
  const onDrop = (date: string, minutesAt: (e: DragEvent<HTMLElement>) => number) => (e: DragEvent<HTMLElement>) => {
    e.preventDefault()
    const id = e.dataTransfer.getData('text/x-task')
    if (id) move(id, date, minutesAt(e))
  }
  const Chip = ({ item, compact }: { item: (typeof placed)[number]; compact?: boolean }) => (
    <button
      type="button"
      draggable={item.task.canEdit && item.task.status === 'open'}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/x-task', item.task.id)
        e.dataTransfer.setData('text/x-minutes', String(item.minutes))
        e.dataTransfer.effectAllowed = 'move'
      }}
      onClick={() => item.task.canEdit && item.task.status === 'open' && setEditing(item.task)}
      data-testid="calendar-task"
      data-day={item.day}
      data-time={hhmm(item.minutes)}
      className={cn(
        'flex w-full min-w-0 items-center gap-1 rounded px-1.5 py-0.5 text-left text-xs focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
        item.task.kind === 'visit' ? 'bg-primary/15 text-foreground' : 'bg-secondary text-secondary-foreground',
        item.task.status === 'done' && 'line-through opacity-60',
        item.task.canEdit && item.task.status === 'open' && 'cursor-grab',
      )}
    >
      {item.task.kind === 'visit' ? <Home className="size-3 shrink-0" aria-hidden /> : null}
      <span className="shrink-0 tabular-nums">{hhmm(item.minutes)}</span>
      <span className={cn('min-w-0', compact ? 'truncate' : 'break-words')}>{item.task.title}</span>
    </button>
  )
  const byDay = (key: string) => placed.filter((p) => p.day === key).sort((a, b) => a.minutes - b.minutes)
  const hours = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i)
  const grid = (keys: string[]) => (
    <div className="overflow-x-auto">
      <div
        className={cn('grid', keys.length > 1 && 'min-w-[42rem]')}
        style={{ gridTemplateColumns: `3rem repeat(${keys.length}, minmax(0, 1fr))` }}
        data-testid="calendar-grid"
      >
        <div />
        {keys.map((k) => (
          <div
            key={k}
            className={cn('border-b px-1 pb-1 text-center text-xs font-medium', k === data.today && 'text-primary')}
          >
            {dayName(k, 'short')}
          </div>
        ))}
        <div className="relative" style={{ height: hours.length * HOUR_PX }}>
          {hours.map((h) => (
            <div
              key={h}
              className="absolute right-1 text-[10px] text-muted-foreground tabular-nums"
              style={{ top: (h - FIRST_HOUR) * HOUR_PX - 6 }}
            >
              {String(h).padStart(2, '0')}h
            </div>
          ))}
        </div>
        {keys.map((k) => (
          <div
            key={k}
            data-testid="calendar-day"
            data-day={k}
            className={cn('relative border-l', k === data.today && 'bg-primary/5')}
            style={{
              height: hours.length * HOUR_PX,
              backgroundImage: `repeating-linear-gradient(to bottom, transparent 0, transparent ${HOUR_PX - 1}px, var(--color-border) ${HOUR_PX - 1}px, var(--color-border) ${HOUR_PX}px)`,
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={onDrop(k, (e) => {
              const y = e.clientY - e.currentTarget.getBoundingClientRect().top
              const minutes = FIRST_HOUR * 60 + Math.round(((y / HOUR_PX) * 60) / 15) * 15
              return Math.max(0, Math.min(23 * 60 + 45, minutes))
            })}
          >
            {byDay(k).map((item) => {
              const top = ((Math.max(item.minutes, FIRST_HOUR * 60) - FIRST_HOUR * 60) / 60) * HOUR_PX
              const height = Math.max(20, (item.task.durationMinutes / 60) * HOUR_PX - 2)
              return (
                <div
                  key={item.task.id}
                  className="absolute inset-x-0.5"
                  style={{ top: Math.min(top, hours.length * HOUR_PX - 20), height }}
                >
                  <Chip item={item} compact />
                </div>
              )
            })}
          </div>
        ))}
      </div>
    </div>
  )
  const list = (keys: string[]) => (
    <ol className="grid gap-3">
      {keys.map((k) => (
        <li key={k} className="grid gap-1">
          <h2 className={cn('text-sm font-medium first-letter:uppercase', k === data.today && 'text-primary')}>
            {dayName(k, 'long')}
          </h2>
          {byDay(k).length ? (
            byDay(k).map((item) => <Chip key={item.task.id} item={item} />)
          ) : (
            <p className="text-xs text-muted-foreground">{t('tasks.calendarView.free')}</p>
          )}
        </li>
      ))}
    </ol>
  )
  const month = (keys: string[]) => (
    <div className="grid grid-cols-7 border-t border-l" data-testid="calendar-month">
      {keys.slice(0, 7).map((k) => (
        <div key={`h-${k}`} className="border-r border-b px-1 py-0.5 text-center text-xs text-muted-foreground">
          {dateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
            new Date(Date.UTC(parseDay(k).y, parseDay(k).m - 1, parseDay(k).d)),
          )}
        </div>
      ))}
      {keys.map((k) => {
        const items = byDay(k)
        const inMonth = parseDay(k).m === day.m
        return (
          <div
            key={k}
            data-testid="calendar-day"
            data-day={k}
            className={cn('grid min-h-20 content-start gap-0.5 border-r border-b p-0.5', !inMonth && 'bg-muted/40')}
            onDragOver={(e) => e.preventDefault()}
            onDrop={onDrop(k, (e) => Number(e.dataTransfer.getData('text/x-minutes')) || 9 * 60)}
          >
            <button
              type="button"
              onClick={() => go({ view: 'day', day: k })}
              className={cn(
                'justify-self-end rounded px-1 text-xs tabular-nums hover:bg-accent',
                k === data.today && 'bg-primary text-primary-foreground',
              )}
              aria-label={dayName(k, 'long')}
            >
              {parseDay(k).d}
            </button>
            {items.slice(0, 3).map((item) => (
              <Chip key={item.task.id} item={item} compact />
            ))}
            {items.length > 3 ? (
              <span className="px-1 text-[10px] text-muted-foreground">
                {t('tasks.more', { count: items.length - 3 })}
              </span>
            ) : null}
          </div>
        )
      })}
    </div>
  )
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
      <PageHeader
        title={t('tasks.calendarView.title')}
        controls={
          <>
            {data.people.isManager ? (
              <PersonPicker
                aria-label={t('tasks.whose')}
                value={data.who}
                onValueChange={(v) => go({ who: v })}
                className="w-56"
                choices={[
                  { value: 'me', label: t('tasks.myAgenda') },
                  { value: 'all', label: t('tasks.wholeAgency') },
                ]}
                people={data.people.assignees.filter((a) => a.userId !== data.people.me)}
              />
            ) : null}
            <div role="group" aria-label={t('tasks.calendarView.view')} className="flex rounded-md border">
              {views.map((v) => (
                <Button
                  key={v}
                  type="button"
                  size="sm"
                  variant={v === view ? 'secondary' : 'ghost'}
                  aria-pressed={v === view}
                  onClick={() => go({ view: v })}
                >
                  {t(`tasks.calendarView.${v}`)}
                </Button>
              ))}
            </div>
          </>
        }
        actions={[{ id: 'today', label: t('tasks.today'), icon: CalendarCheck, to: '/app/today' }]}
      />
      <div className="flex items-center gap-2">
        <Button
          type="button"
          size="icon"
          variant="outline"
          aria-label={t('tasks.calendarView.previous')}
          onClick={() => shift(-1)}
        >
          <ChevronLeft className="size-4" aria-hidden />
        </Button>
        <Button type="button" size="sm" variant="outline" onClick={() => go({ day: data.today })}>
          {t('tasks.calendarView.goToday')}
        </Button>
        <Button
          type="button"
          size="icon"
          variant="outline"
          aria-label={t('tasks.calendarView.next')}
          onClick={() => shift(1)}
        >
          <ChevronRight className="size-4" aria-hidden />
        </Button>
        <h2 className="text-base font-medium first-letter:uppercase" aria-live="polite" data-testid="calendar-title">
          {title}
        </h2>
      </div>
      <Card>
        <CardContent className="pt-4">
          {view === 'month' ? (
            month(data.days)
          ) : view === 'day' ? (
            grid(data.days)
          ) : (
            <>
              <div className="hidden md:block">{grid(data.days)}</div>
              <div className="md:hidden">{list(data.days)}</div>
            </>
          )}
        </CardContent>
      </Card>
      <p className="text-xs text-muted-foreground">{t('tasks.calendarView.hint')}</p>
      {editing ? (
        <TaskDialog open onOpenChange={(o) => !o && setEditing(null)} task={editing} people={data.people} />
      ) : null}
    </div>
  )
}
