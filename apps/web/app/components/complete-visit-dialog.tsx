import { useFetcher } from '@remix-run/react'
import { visitInterests } from '@impera/api/schemas'
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
import { useEffect, useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { localParts } from '../lib/local-parts'
import type { TaskItem } from './task-dialog'
import { useResultToast } from './use-result-toast'

/** How a visit went (task-list.tsx loads this when a visit is marked done): the outcome, the lead's interest in each property shown, and a new time when rescheduled. */
export function CompleteVisitDialog({
  task,
  onClose,
  timeZone,
}: {
  task: TaskItem
  onClose: () => void
  timeZone: string
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [outcome, setOutcome] = useState<'done' | 'no_show' | 'rescheduled'>('done')
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) onClose()
  }, [fetcher.state, fetcher.data, onClose])
  const errors = (field: string) => fetcher.data?.fieldErrors?.[field]?.map((m) => t(m))
  const later = localParts(new Date(Date.now() + 86_400_000), timeZone)
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] overflow-y-auto">
        <DialogTitle>{t('tasks.howWasIt')}</DialogTitle>
        <DialogDescription>{task.title}</DialogDescription>
        <fetcher.Form method="post" className="grid gap-4">
          <input type="hidden" name="intent" value="task.complete" />
          <input type="hidden" name="taskId" value={task.id} />
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('tasks.outcome')}</legend>
            {(['done', 'no_show', 'rescheduled'] as const).map((o) => (
              <label key={o} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="outcome"
                  value={o}
                  checked={outcome === o}
                  onChange={() => setOutcome(o)}
                  className="size-4"
                />
                {t(`tasks.outcomes.${o}`)}
              </label>
            ))}
          </fieldset>
          {outcome === 'rescheduled' ? (
            <div className="grid grid-cols-2 gap-4">
              <Field label={t('tasks.newDate')} errors={errors('rescheduleTo')}>
                {(p) => <Input {...p} type="date" name="rescheduleDate" required defaultValue={later.date} />}
              </Field>
              <Field label={t('tasks.time')}>
                {(p) => <Input {...p} type="time" name="rescheduleTime" required defaultValue={later.time} />}
              </Field>
            </div>
          ) : null}
          {outcome === 'done'
            ? task.shown.map((s) => (
                <fieldset key={s.propertyId} className="grid gap-2 rounded-md border p-3">
                  <legend className="px-1 text-sm font-medium">{s.code ? `${s.code} · ${s.title}` : s.title}</legend>
                  <input type="hidden" name="shown" value={s.propertyId} />
                  <Field label={t('tasks.interest')}>
                    {(p) => (
                      <Select {...p} name={`interest-${s.propertyId}`} defaultValue={s.interest ?? ''}>
                        <option value="">—</option>
                        {visitInterests.map((i) => (
                          <option key={i} value={i}>
                            {t(`tasks.interests.${i}`)}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  <Field label={t('tasks.feedback')}>
                    {(p) => (
                      <Input
                        {...p}
                        name={`feedback-${s.propertyId}`}
                        maxLength={1000}
                        defaultValue={s.feedback ?? ''}
                      />
                    )}
                  </Field>
                </fieldset>
              ))
            : null}
          <Field label={t('tasks.outcomeNote')} errors={errors('note')}>
            {(p) => <Textarea {...p} name="note" rows={2} maxLength={5000} />}
          </Field>
          {fetcher.data?.formError ? (
            <p role="alert" className="text-sm text-destructive">
              {t(fetcher.data.formError)}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={fetcher.state !== 'idle'}>
              {t('tasks.saveOutcome')}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  )
}
