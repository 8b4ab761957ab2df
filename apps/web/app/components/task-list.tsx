import { Link, useFetcher } from '@remix-run/react'
import {
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
  EmptyState,
  cn,
} from '@impera/ui'
import {
  Calendar,
  CalendarCheck,
  CalendarPlus,
  Check,
  FileText,
  Home,
  Mail,
  MessageCircle,
  MoreHorizontal,
  Phone,
  Plus,
  RefreshCw,
  Repeat,
  type LucideIcon,
} from 'lucide-react'
import { useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { lazyPart } from '../lib/lazy-part'
import type { AgendaPeople, TaskDefaults, TaskItem } from './task-dialog'

import { useResultToast } from './use-result-toast'
import { dateTimeFormat } from '../lib/intl'

const TaskDialog = lazyPart(() => import('./task-dialog').then((m) => m.TaskDialog))
const CompleteVisitDialog = lazyPart(() => import('./complete-visit-dialog').then((m) => m.CompleteVisitDialog))

const kindIcons: Record<TaskItem['kind'], LucideIcon> = {
  call: Phone,
  whatsapp: MessageCircle,
  email: Mail,
  follow_up: RefreshCw,
  document: FileText,
  visit: Home,
  other: Calendar,
}

/**
 * A list of tasks and visits: tick to complete (at once, undone if the server refuses), a visit asks how it went;
 * call and WhatsApp tasks carry the contact's phone as one-tap links; edit, move to tomorrow, cancel or reopen from
 * the row's menu. `when` picks the time format: a day's list shows hours, the others the date too.
 */
export function TaskList({
  tasks,
  people,
  when = 'dateTime',
  showAssignee = false,
  showRecord = true,
  overdue = false,
  empty,
}: {
  tasks: TaskItem[]
  people: AgendaPeople
  when?: 'time' | 'dateTime'
  showAssignee?: boolean
  showRecord?: boolean
  overdue?: boolean
  empty: string
}) {
  const { t } = useI18n()
  if (!tasks.length)
    return empty ? (
      <EmptyState icon={CalendarCheck} compact>
        {empty}
      </EmptyState>
    ) : null
  return (
    <ul className="grid divide-y" aria-label={empty}>
      {tasks.map((task) => (
        <TaskRow
          key={task.id}
          task={task}
          people={people}
          when={when}
          showAssignee={showAssignee}
          showRecord={showRecord}
          overdue={overdue}
          t={t}
        />
      ))}
    </ul>
  )
}

function TaskRow({
  task,
  people,
  when,
  showAssignee,
  showRecord,
  overdue,
  t,
}: {
  task: TaskItem
  people: AgendaPeople
  when: 'time' | 'dateTime'
  showAssignee: boolean
  showRecord: boolean
  overdue: boolean
  t: ReturnType<typeof useI18n>['t']
}) {
  const { locale, timeZone } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [editing, setEditing] = useState(false)
  const [completing, setCompleting] = useState(false)
  const pending = fetcher.formData?.get('intent')
  // Optimistic: the row shows the state it is moving to while the request runs; the loader's value returns on failure.
  const status = pending === 'task.complete' ? 'done' : pending === 'task.reopen' ? 'open' : task.status
  const done = status === 'done'
  const Icon = kindIcons[task.kind]
  const due = new Date(task.dueAt)
  const time = dateTimeFormat(locale, {
    timeZone,
    ...(when === 'time' ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }),
  }).format(due)
  const phone = task.leadPhone ?? task.clientPhone
  const record = task.leadId
    ? { to: `/app/leads/${task.leadId}`, name: task.leadName }
    : task.clientId
      ? { to: `/app/clients/${task.clientId}`, name: task.clientName }
      : null
  const submit = (intent: string) => fetcher.submit({ intent, taskId: task.id }, { method: 'post' })
  const complete = () => (task.kind === 'visit' ? setCompleting(true) : submit('task.complete'))
  if (pending === 'task.cancel') return null
  return (
    <li id={`task-${task.id}`} className="flex items-start gap-3 py-3" data-testid="task" data-status={status}>
      <button
        type="button"
        role="checkbox"
        aria-checked={done}
        aria-label={
          done ? t('tasks.reopenNamed', { title: task.title }) : t('tasks.completeNamed', { title: task.title })
        }
        disabled={!task.canEdit || status === 'cancelled' || fetcher.state !== 'idle'}
        onClick={() => (done ? submit('task.reopen') : complete())}
        className={cn(
          'mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full border-2 transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none disabled:opacity-50',
          done ? 'border-emerald-600 bg-emerald-600 text-white' : 'border-muted-foreground/50 hover:border-emerald-600',
        )}
      >
        {done ? <Check className="size-4" aria-hidden /> : null}
      </button>
      <div className="grid min-w-0 flex-1 gap-0.5">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span className="sr-only">{t(`tasks.kinds.${task.kind}`)}:</span>
          <span className={cn('font-medium break-words', done && 'text-muted-foreground line-through')}>
            {task.title}
          </span>
          {task.recurrence !== 'none' ? (
            <Repeat className="size-3.5 text-muted-foreground" aria-label={t(`tasks.recurrences.${task.recurrence}`)} />
          ) : null}
          {status === 'cancelled' ? <Badge variant="outline">{t('tasks.statuses.cancelled')}</Badge> : null}
          {task.confirmationState && status === 'open' ? (
            <Badge
              variant={
                task.confirmationState === 'confirmed'
                  ? 'success'
                  : task.confirmationState === 'sent' || task.confirmationState === 'replied'
                    ? 'secondary'
                    : 'warning'
              }
              title={
                task.confirmationState === 'failed' && task.confirmationReply
                  ? t(task.confirmationReply)
                  : (task.confirmationReply ?? undefined)
              }
              data-testid="confirmation"
            >
              {t(`tasks.confirmation.states.${task.confirmationState}`)}
            </Badge>
          ) : null}
          {task.outcome ? (
            <Badge variant={task.outcome === 'done' ? 'success' : 'warning'}>
              {t(`tasks.outcomes.${task.outcome}`)}
            </Badge>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted-foreground">
          <time dateTime={due.toISOString()} className={cn(overdue && !done && 'font-medium text-destructive')}>
            {time}
          </time>
          {showRecord && record ? (
            <Link to={record.to} className="underline-offset-2 hover:underline">
              {record.name}
            </Link>
          ) : null}
          {task.shown.length ? (
            <span>{task.shown.map((s) => s.code ?? s.title).join(', ')}</span>
          ) : task.propertyCode ? (
            <span>{task.propertyCode}</span>
          ) : null}
          {task.place ? <span className="break-words">{task.place}</span> : null}
          {showAssignee && task.assigneeName ? <span>· {task.assigneeName}</span> : null}
        </div>
        {task.outcomeNote ? <p className="text-sm break-words">{task.outcomeNote}</p> : null}
        {task.confirmationReply && status === 'open' && task.confirmationState !== 'failed' ? (
          <p className="text-sm break-words text-muted-foreground">“{task.confirmationReply}”</p>
        ) : null}
      </div>
      <div className="flex shrink-0 items-center gap-1">
        {phone && !done && (task.kind === 'call' || task.kind === 'follow_up') ? (
          <Button asChild size="icon" variant="ghost">
            <a href={`tel:${phone}`} aria-label={t('tasks.callNamed', { name: record?.name ?? phone })}>
              <Phone className="size-4" aria-hidden />
            </a>
          </Button>
        ) : null}
        {phone && !done && task.kind === 'whatsapp' ? (
          <Button asChild size="icon" variant="ghost">
            <a
              href={`https://wa.me/${phone.replace(/\D/g, '')}`}
              target="_blank"
              rel="noreferrer"
              aria-label={t('tasks.whatsappNamed', { name: record?.name ?? phone })}
            >
              <MessageCircle className="size-4" aria-hidden />
            </a>
          </Button>
        ) : null}
        {task.canEdit ? (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button size="icon" variant="ghost" aria-label={t('tasks.actionsNamed', { title: task.title })}>
                <MoreHorizontal className="size-4" aria-hidden />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              {status === 'open' ? (
                <>
                  <DropdownMenuItem onSelect={() => setEditing(true)}>{t('tasks.edit')}</DropdownMenuItem>
                  <DropdownMenuItem onSelect={() => submit('task.tomorrow')}>{t('tasks.tomorrow')}</DropdownMenuItem>
                  <DropdownMenuItem onSelect={() => submit('task.cancel')}>{t('tasks.cancel')}</DropdownMenuItem>
                </>
              ) : (
                <DropdownMenuItem onSelect={() => submit('task.reopen')}>{t('tasks.reopen')}</DropdownMenuItem>
              )}
            </DropdownMenuContent>
          </DropdownMenu>
        ) : null}
      </div>
      {editing ? <TaskDialog open onOpenChange={setEditing} task={task} people={people} /> : null}
      {completing ? <CompleteVisitDialog task={task} onClose={() => setCompleting(false)} timeZone={timeZone} /> : null}
    </li>
  )
}

/**
 * A record's agenda (lead, client or property page): what is planned first, then what was done, with buttons that
 * plan a task or a visit already attached to the record.
 */
export function RecordTasks({
  tasks,
  people,
  defaults,
  canPlan,
}: {
  tasks: TaskItem[]
  people: AgendaPeople
  defaults: TaskDefaults
  canPlan: boolean
}) {
  const { t } = useI18n()
  const [creating, setCreating] = useState<null | 'call' | 'visit'>(null)
  useLiveSignal('tasks:changed', useBackgroundRevalidate())
  const open = tasks.filter((x) => x.status === 'open').sort((a, b) => +new Date(a.dueAt) - +new Date(b.dueAt))
  const closed = tasks.filter((x) => x.status !== 'open')
  return (
    <Card data-testid="record-tasks">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2 space-y-0">
        <CardTitle>{t('tasks.recordTitle')}</CardTitle>
        {canPlan ? (
          <div className="flex flex-wrap gap-2">
            <Button type="button" size="sm" variant="outline" onClick={() => setCreating('visit')}>
              <CalendarPlus className="size-4" aria-hidden />
              {t('tasks.scheduleVisit')}
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={() => setCreating('call')}>
              <Plus className="size-4" aria-hidden />
              {t('tasks.new')}
            </Button>
          </div>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-2">
        <TaskList tasks={open} people={people} showAssignee showRecord={false} empty={t('tasks.noneOpen')} />
        {closed.length ? (
          <details className="text-sm">
            <summary className="cursor-pointer text-muted-foreground">
              {t('tasks.history', { count: closed.length })}
            </summary>
            <TaskList tasks={closed} people={people} showAssignee showRecord={false} empty="" />
          </details>
        ) : null}
      </CardContent>
      {creating ? (
        <TaskDialog
          open
          onOpenChange={(o) => !o && setCreating(null)}
          defaults={{ ...defaults, kind: creating }}
          people={people}
        />
      ) : null}
    </Card>
  )
}
