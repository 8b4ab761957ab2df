import { useFetcher } from '@remix-run/react'
import { taskKinds, taskRecurrences } from '@impera/api/schemas'
import type { TaskKind } from '@impera/db/enums'
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
  Field,
  Input,
  Select,
  Textarea,
} from '@impera/ui'
import { X } from 'lucide-react'
import { useCallback, useEffect, useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { localParts } from '../lib/local-parts'
import { trpc } from '../lib/trpc-client'
import { RecordPicker, type PickerItem } from './record-picker'
import { useResultToast } from './use-result-toast'
import { PersonPicker } from './person-picker'

/** What the agenda lists show and the dialogs edit (the loader's task rows, dates as strings after serialisation). */
export interface TaskItem {
  id: string
  kind: TaskKind
  title: string
  notes: string
  dueAt: string | Date
  durationMinutes: number
  place: string | null
  status: 'open' | 'done' | 'cancelled'
  outcome: 'done' | 'no_show' | 'rescheduled' | null
  outcomeNote: string | null
  remindMinutes: number | null
  recurrence: (typeof taskRecurrences)[number]
  assignedTo: string
  assigneeName: string | null
  leadId: string | null
  leadName: string | null
  leadPhone: string | null
  clientId: string | null
  clientName: string | null
  clientPhone: string | null
  propertyId: string | null
  propertyCode: string | null
  propertyTitle: string | null
  canEdit: boolean
  confirmationState: 'sent' | 'confirmed' | 'declined' | 'replied' | 'failed' | null
  confirmationReply: string | null
  shown: {
    propertyId: string
    interest: string | null
    feedback: string | null
    code: string | null
    title: string
  }[]
}

export interface TaskDefaults {
  kind?: TaskKind
  leadId?: string
  clientId?: string
  propertyId?: string
  /** The record's name, shown instead of a picker and used in the suggested title. */
  contactName?: string
  property?: PickerItem
}

export interface AgendaPeople {
  assignees: { userId: string; name: string }[]
  me: string
  isManager: boolean
}

const reminderChoices = ['', '0', '15', '30', '60', '1440'] as const
const durationChoices = [15, 30, 45, 60, 90, 120, 180] as const

/** The next whole hour from now: what a new task suggests. */
function nextHour(): Date {
  const d = new Date(Date.now() + 3_600_000)
  d.setMinutes(0, 0, 0)
  return d
}

/**
 * Create or edit a task or a visit. Posts `task.create` / `task.update` to the page's action (every page with an
 * agenda runs the same task intents), shows the procedure's field errors in place and closes when saved.
 */
export function TaskDialog({
  open,
  onOpenChange,
  task,
  defaults = {},
  people,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  task?: TaskItem
  defaults?: TaskDefaults
  people: AgendaPeople
}) {
  const { t, timeZone } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [kind, setKind] = useState<TaskKind>(task?.kind ?? defaults.kind ?? 'call')
  // Until the person types one, the title suggests itself from the kind and the contact (rendered, not set by an
  // effect: the dialog opens with it in place).
  const [typedTitle, setTitle] = useState<string | null>(task?.title ?? null)
  const [contact, setContact] = useState<{ kind: 'lead' | 'client'; id: string; label: string } | null>(
    task?.leadId
      ? { kind: 'lead', id: task.leadId, label: task.leadName ?? '' }
      : task?.clientId
        ? { kind: 'client', id: task.clientId, label: task.clientName ?? '' }
        : null,
  )
  const [shown, setShown] = useState<PickerItem[]>(
    task
      ? task.shown.map((s) => ({ id: s.propertyId, label: s.code ? `${s.code} · ${s.title}` : s.title }))
      : defaults.property
        ? [defaults.property]
        : [],
  )
  const fixedContact = !task && (defaults.leadId || defaults.clientId)
  const contactName = fixedContact ? defaults.contactName : contact?.label
  const title = typedTitle ?? `${t(`tasks.kinds.${kind}`)}${contactName ? ` — ${contactName}` : ''}`
  useEffect(() => {
    // A saved submission closes the dialog (each opening mounts a new one, with no previous result).
    if (fetcher.state === 'idle' && fetcher.data?.ok) onOpenChange(false)
  }, [fetcher.state, fetcher.data, onOpenChange])
  const when = localParts(task ? new Date(task.dueAt) : nextHour(), timeZone)
  const errors = (field: string) => fetcher.data?.fieldErrors?.[field]?.map((m) => t(m))
  const searchContacts = useCallback(async (q: string): Promise<PickerItem[]> => {
    if (q.trim().length < 2) return []
    const r = await trpc.search.global.query({ q })
    return [
      ...r.leads.map((l) => ({ id: `lead:${l.id}`, label: l.title, hint: l.subtitle ?? undefined })),
      ...r.clients.map((c) => ({ id: `client:${c.id}`, label: c.title, hint: c.subtitle ?? undefined })),
    ]
  }, [])
  const searchProperties = useCallback(
    async (q: string): Promise<PickerItem[]> =>
      (await trpc.properties.pick.query({ q })).map((p) => ({
        id: p.id,
        label: p.code ? `${p.code} · ${p.title}` : p.title,
      })),
    [],
  )
  const visit = kind === 'visit'
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] overflow-y-auto">
        <DialogTitle>{task ? t('tasks.edit') : visit ? t('tasks.newVisit') : t('tasks.new')}</DialogTitle>
        <DialogDescription>{contactName ?? t('tasks.dialogHint')}</DialogDescription>
        <fetcher.Form method="post" className="grid gap-4" data-testid="task-form">
          <input type="hidden" name="intent" value={task ? 'task.update' : 'task.create'} />
          {task ? <input type="hidden" name="taskId" value={task.id} /> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('tasks.kind')} errors={errors('kind')}>
              {(p) => (
                <Select
                  {...p}
                  name="kind"
                  value={kind}
                  onChange={(e) => setKind(taskKinds.find((k) => k === e.target.value) ?? 'call')}
                >
                  {taskKinds.map((k) => (
                    <option key={k} value={k}>
                      {t(`tasks.kinds.${k}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {people.isManager ? (
              <Field label={t('tasks.assignee')} errors={errors('assignedTo')}>
                {(p) => (
                  <PersonPicker
                    {...p}
                    name="assignedTo"
                    defaultValue={task?.assignedTo ?? people.me}
                    people={people.assignees.map((a) => (a.userId === people.me ? { ...a, name: t('tasks.me') } : a))}
                  />
                )}
              </Field>
            ) : null}
          </div>
          <Field label={t('tasks.title')} errors={errors('title')}>
            {(p) => (
              <Input
                {...p}
                name="title"
                required
                maxLength={200}
                value={title}
                onChange={(e) => setTitle(e.target.value)}
              />
            )}
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field label={t('tasks.date')} errors={errors('dueAt')}>
              {(p) => <Input {...p} type="date" name="date" required defaultValue={when.date} />}
            </Field>
            <Field label={t('tasks.time')}>
              {(p) => <Input {...p} type="time" name="time" required defaultValue={when.time} />}
            </Field>
          </div>
          {fixedContact ? (
            <>
              {defaults.leadId ? <input type="hidden" name="leadId" value={defaults.leadId} /> : null}
              {defaults.clientId ? <input type="hidden" name="clientId" value={defaults.clientId} /> : null}
            </>
          ) : (
            <div className="grid gap-1.5">
              <span className="text-sm font-medium">{t('tasks.contact')}</span>
              {contact ? (
                <div className="flex items-center justify-between gap-2 rounded-md border px-3 py-2 text-sm">
                  <span className="truncate">
                    {contact.label}{' '}
                    <span className="text-muted-foreground">({t(`tasks.contactKinds.${contact.kind}`)})</span>
                  </span>
                  <Button
                    type="button"
                    size="icon"
                    variant="ghost"
                    aria-label={t('tasks.removeContact')}
                    onClick={() => setContact(null)}
                  >
                    <X className="size-4" aria-hidden />
                  </Button>
                  <input type="hidden" name={contact.kind === 'lead' ? 'leadId' : 'clientId'} value={contact.id} />
                </div>
              ) : (
                <RecordPicker
                  search={searchContacts}
                  label={t('tasks.contact')}
                  placeholder={t('tasks.contactPlaceholder')}
                  onPick={(item) => {
                    const [k, id] = item.id.split(':') as ['lead' | 'client', string]
                    setContact({ kind: k, id, label: item.label })
                  }}
                />
              )}
              {errors('leadId') ? (
                <p role="alert" className="text-sm text-destructive">
                  {errors('leadId')!.join(' ')}
                </p>
              ) : null}
            </div>
          )}
          {defaults.propertyId && !visit ? <input type="hidden" name="propertyId" value={defaults.propertyId} /> : null}
          {task?.propertyId && !visit ? <input type="hidden" name="propertyId" value={task.propertyId} /> : null}
          {visit ? (
            <>
              <div className="grid gap-1.5">
                <span className="text-sm font-medium">{t('tasks.properties')}</span>
                <ul className="grid gap-1">
                  {shown.map((p) => (
                    <li
                      key={p.id}
                      className="flex items-center justify-between gap-2 rounded-md border px-3 py-1.5 text-sm"
                    >
                      <span className="truncate">{p.label}</span>
                      <input type="hidden" name="propertyIds" value={p.id} />
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label={t('tasks.removeProperty', { name: p.label })}
                        onClick={() => setShown((xs) => xs.filter((x) => x.id !== p.id))}
                      >
                        <X className="size-4" aria-hidden />
                      </Button>
                    </li>
                  ))}
                </ul>
                {shown.length < 10 ? (
                  <RecordPicker
                    search={searchProperties}
                    label={t('tasks.addProperty')}
                    placeholder={t('tasks.addProperty')}
                    onPick={(item) => setShown((xs) => (xs.some((x) => x.id === item.id) ? xs : [...xs, item]))}
                  />
                ) : null}
                {errors('propertyIds') ? (
                  <p role="alert" className="text-sm text-destructive">
                    {errors('propertyIds')!.join(' ')}
                  </p>
                ) : null}
              </div>
              <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
                <Field label={t('tasks.place')} errors={errors('place')}>
                  {(p) => <Input {...p} name="place" maxLength={300} defaultValue={task?.place ?? ''} />}
                </Field>
                <Field label={t('tasks.duration')} errors={errors('durationMinutes')}>
                  {(p) => (
                    <Select {...p} name="durationMinutes" defaultValue={String(task?.durationMinutes ?? 60)}>
                      {durationChoices.map((m) => (
                        <option key={m} value={m}>
                          {t('tasks.minutes', { count: m })}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              </div>
            </>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('tasks.remind')} errors={errors('remindMinutes')}>
              {(p) => (
                <Select
                  {...p}
                  name="remindMinutes"
                  defaultValue={task ? (task.remindMinutes === null ? '' : String(task.remindMinutes)) : '30'}
                >
                  {reminderChoices.map((m) => (
                    <option key={m} value={m}>
                      {t(`tasks.reminders.${m || 'none'}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t('tasks.recurrence')} errors={errors('recurrence')}>
              {(p) => (
                <Select {...p} name="recurrence" defaultValue={task?.recurrence ?? 'none'}>
                  {taskRecurrences.map((r) => (
                    <option key={r} value={r}>
                      {t(`tasks.recurrences.${r}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Field label={t('tasks.notes')} errors={errors('notes')}>
            {(p) => <Textarea {...p} name="notes" rows={2} maxLength={5000} defaultValue={task?.notes ?? ''} />}
          </Field>
          {fetcher.data?.formError ? (
            <p role="alert" className="text-sm text-destructive">
              {t(fetcher.data.formError)}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={fetcher.state !== 'idle'}>
              {task ? t('common.save') : visit ? t('tasks.scheduleVisit') : t('tasks.create')}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  )
}
