import { useFetcher, useRevalidator, useSearchParams } from '@remix-run/react'
import { lostReasons, propertyStatuses } from '@impera/api/schemas'
import { Button, Input, Progress, Select, useToast } from '@impera/ui'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useLiveSignal } from '../lib/live'
import { trpc } from '../lib/trpc-client'
import type { RowSelection } from './record-list'
import { PersonPicker } from './person-picker'

type Kind = 'assign' | 'status' | 'addTag' | 'removeTag' | 'trash'
export type BulkEntity = 'lead' | 'client' | 'property'

/** What can be done to many at once: clients have no status, properties no tags. */
const kindsOf: Record<BulkEntity, Kind[]> = {
  lead: ['assign', 'status', 'addTag', 'removeTag', 'trash'],
  client: ['assign', 'addTag', 'removeTag', 'trash'],
  property: ['assign', 'status', 'trash'],
}
const leadTargets = ['new', 'contacted', 'qualified', 'lost'] as const

/**
 * The rows ticked on a list page (decision 028): a set of ids, or "all that match the filters". It starts over when
 * the filters change (the URL without its paging, columns and `keep` keys), not when paging, so a selection can span
 * pages. `nameOf` names a row for its tick box's label.
 */
export function useListSelection<R extends { id: string }>(
  entity: BulkEntity,
  rows: R[],
  nameOf: (row: R) => string,
  keep: readonly string[] = [],
) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  const resetKey = useMemo(() => {
    const p = new URLSearchParams(params)
    for (const k of ['after', 'before', 'cols', ...keep]) p.delete(k)
    return p.toString()
  }, [params, keep])
  const rowIds = useMemo(() => rows.map((r) => r.id), [rows])
  const name = useRef(nameOf)
  name.current = nameOf
  const labels = useMemo(() => {
    const byId = new Map(rows.map((r) => [r.id, r]))
    return {
      row: (id: string) => t('bulk.select', { name: byId.has(id) ? name.current(byId.get(id)!) : '' }),
      page: t(`bulk.of.${entity}.selectPage`),
    }
  }, [rows, t, entity])
  return useRowSelection(rowIds, resetKey, labels)
}
export type ListSelection = ReturnType<typeof useListSelection>

function useRowSelection(rowIds: string[], resetKey: string, labels: { row: (id: string) => string; page: string }) {
  const [selected, setSelected] = useState<Set<string>>(() => new Set())
  const [all, setAll] = useState(false)
  useEffect(() => {
    setSelected(new Set())
    setAll(false)
  }, [resetKey])
  const clear = useCallback(() => {
    setSelected(new Set())
    setAll(false)
  }, [])
  const selection: RowSelection = useMemo(
    () => ({
      selected,
      all,
      toggle: (id, on) => {
        setAll(false)
        setSelected((s) => {
          const next = new Set(all ? rowIds : s)
          if (on) next.add(id)
          else next.delete(id)
          return next
        })
      },
      togglePage: (on) => {
        setAll(false)
        setSelected((s) => {
          const next = new Set(s)
          for (const id of rowIds)
            if (on) next.add(id)
            else next.delete(id)
          return next
        })
      },
      label: (row) => labels.row(row.id),
      pageLabel: labels.page,
    }),
    [selected, all, rowIds, labels],
  )
  return { selection, selectAll: () => setAll(true), clear }
}

export type BulkOperationState = {
  id: string
  total: number
  done: number
  changed: number
  status: 'running' | 'done' | 'failed'
}

/**
 * Follows a bulk operation the server answered with: while it runs in the background, its progress (live, with a
 * 3-second poll when the socket is down); once over, `onFinish` runs exactly once for it. `track` is stable, so an
 * effect that hands it the action's answer runs once per answer — finishing revalidates the page, and a callback that
 * changed with every revalidation once made the toast and the reload repeat in a loop.
 */
export function useBulkOperation(onFinish: (op: BulkOperationState) => void) {
  const [operation, setOperation] = useState<BulkOperationState | null>(null)
  const finished = useRef(new Set<string>())
  const latest = useRef(onFinish)
  latest.current = onFinish
  const track = useCallback((op: BulkOperationState) => {
    if (op.status === 'running') return setOperation(op)
    setOperation(null)
    if (finished.current.has(op.id)) return
    finished.current.add(op.id)
    latest.current(op)
  }, [])
  const refresh = useCallback(() => {
    if (!operation) return
    trpc.bulk.get
      .query({ id: operation.id })
      .then(track)
      .catch(() => undefined)
  }, [operation, track])
  useLiveSignal('bulk:changed', refresh, 100)
  useEffect(() => {
    if (!operation) return
    const timer = setInterval(refresh, 3000)
    return () => clearInterval(timer)
  }, [operation, refresh])
  return { operation, track }
}

/** A running bulk operation's progress bar, announced politely. */
export function BulkProgress({ operation, text }: { operation: BulkOperationState; text: string }) {
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-md border bg-muted/40 p-3 text-sm"
      data-testid="bulk-progress"
    >
      {text}
      <Progress value={operation.done} max={operation.total} label={text} />
    </div>
  )
}

/**
 * The bulk action bar of a records list: how many are ticked, "select all N that match", then one action — assign,
 * move to a status, add or remove a tag, trash, as the entity allows — applied in the request up to 500 records, or as
 * a job with a live progress bar beyond.
 */
export function BulkBar({
  entity,
  list,
  ticks: { selection, selectAll: onSelectAll, clear: onClear },
}: {
  entity: BulkEntity
  /** The list page's loader data: its rows and total, the filters "all that match" stands for, who may do what. */
  list: {
    rows: unknown[]
    total: { count: number }
    bulkFilter: string
    assignees: { userId: string; name: string }[]
    me: string
    canAssignOthers: boolean
    canDelete: boolean
  }
  ticks: ListSelection
}) {
  const { rows, bulkFilter: filter, assignees, me, canAssignOthers, canDelete } = list
  const pageSize = rows.length
  const total = list.total.count
  const { t } = useI18n()
  const toast = useToast()
  const fetcher = useFetcher<FormResult>()
  const revalidator = useRevalidator()
  const [kind, setKind] = useState<Kind | ''>('')
  const [status, setStatus] = useState('')
  const count = selection.all ? total : selection.selected.size

  const { operation, track } = useBulkOperation((op) => {
    toast({ title: t(`bulk.of.${entity}.finished`, { changed: op.changed, total: op.total }), variant: 'success' })
    onClear()
    setKind('')
    revalidator.revalidate()
  })
  useEffect(() => {
    const op = fetcher.data?.meta?.operation as BulkOperationState | undefined
    if (fetcher.state === 'idle' && op) track(op)
  }, [fetcher.state, fetcher.data, track])

  if (operation)
    return (
      <BulkProgress
        text={t(`bulk.of.${entity}.running`, { done: operation.done, total: operation.total })}
        operation={operation}
      />
    )
  if (!count) return null
  const errors = Object.values(fetcher.data?.fieldErrors ?? {})
    .flat()
    .filter((m): m is string => !!m)
  const options = canAssignOthers ? assignees : assignees.filter((a) => a.userId === me)
  return (
    <fetcher.Form
      method="post"
      className="flex flex-col gap-2 rounded-md border bg-muted/40 p-3 text-sm"
      aria-label={t('bulk.actions')}
      data-testid="bulk-bar"
      onSubmit={(e) => {
        if (kind === 'trash' && !window.confirm(t(`bulk.of.${entity}.trashConfirm`, { count }))) e.preventDefault()
      }}
    >
      <input type="hidden" name="intent" value="bulk" />
      {selection.all ? (
        <>
          <input type="hidden" name="all" value="1" />
          <input type="hidden" name="filter" value={filter} />
        </>
      ) : (
        [...selection.selected].map((id) => <input key={id} type="hidden" name="id" value={id} />)
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium" data-testid="bulk-count">
          {selection.all ? t('bulk.allSelected', { total }) : t('bulk.selected', { count })}
        </span>
        {!selection.all && count >= Math.min(pageSize, total) && total > count ? (
          <Button type="button" variant="link" className="h-auto p-0" onClick={onSelectAll}>
            {t('bulk.selectAll', { total })}
          </Button>
        ) : null}
        <Button type="button" variant="link" className="h-auto p-0" onClick={onClear}>
          {t('bulk.clear')}
        </Button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Select
          name="kind"
          aria-label={t('bulk.actions')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as Kind | '')}
          className="w-auto"
        >
          <option value="">{t('bulk.actions')}…</option>
          {kindsOf[entity]
            .filter((k) => k !== 'trash' || canDelete)
            .map((k) => (
              <option key={k} value={k}>
                {t(`bulk.${k}`)}
              </option>
            ))}
        </Select>
        {kind === 'assign' ? (
          <PersonPicker
            name="assignedTo"
            aria-label={t('bulk.assign')}
            className="w-56"
            defaultValue=""
            choices={[{ value: '', label: t('leads.unassigned') }]}
            people={options}
          />
        ) : null}
        {kind === 'status' ? (
          <>
            <Select
              name="status"
              aria-label={t('bulk.status')}
              className="w-auto"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value)}
            >
              <option value="">{t('bulk.statusPick')}</option>
              {entity === 'property'
                ? propertyStatuses.map((s) => (
                    <option key={s} value={s}>
                      {t(`properties.statuses.${s}`)}
                    </option>
                  ))
                : leadTargets.map((s) => (
                    <option key={s} value={s}>
                      {t(`leads.statuses.${s}`)}
                    </option>
                  ))}
            </Select>
            {entity === 'lead' && status === 'lost' ? (
              <Select name="lostReason" aria-label={t('bulk.lostReason')} className="w-auto" defaultValue="">
                <option value="">{t('bulk.lostReason')}…</option>
                {lostReasons.map((r) => (
                  <option key={r} value={r}>
                    {t(`leads.lostReasons.${r}`)}
                  </option>
                ))}
              </Select>
            ) : null}
          </>
        ) : null}
        {kind === 'addTag' || kind === 'removeTag' ? (
          <Input name="tag" aria-label={t('bulk.tag')} placeholder={t('bulk.tag')} className="w-40" maxLength={40} />
        ) : null}
        <Button type="submit" size="sm" disabled={!kind} loading={fetcher.state !== 'idle'}>
          {t('bulk.apply')}
        </Button>
      </div>
      {errors.length ? (
        <p role="alert" className="text-destructive">
          {errors.map((m) => t(m)).join(' ')}
        </p>
      ) : null}
    </fetcher.Form>
  )
}
