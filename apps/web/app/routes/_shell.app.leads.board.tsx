import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { leadStatuses } from '@impera/api/schemas'
import {
  Badge,
  Button,
  cn,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
  useToast,
} from '@impera/ui'
import { useState } from 'react'
import { LeadsHeader } from '../components/leads-header'
import { LostDialog, type LostReason } from '../components/lost-dialog'
import { useT } from '../i18n'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { errorKey, trpc } from '../lib/trpc-client'

type Status = (typeof leadStatuses)[number]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, country } = await recordsPageContext(context)
  const cards = await caller.leads.board()
  return {
    cards: cards.map((c) => ({ ...c, phones: displayPhones(c.phones, country) })),
    me: identity.userId,
    isManager: role === 'manager',
    canDelete: can(role, 'records.delete'),
  }
}

export default function LeadBoard() {
  const t = useT()
  const { cards, me, isManager, canDelete } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  const toast = useToast()
  // Optimistic positions: a card shows in its new column at once and goes back, with a message, if the move fails.
  const [moved, setMoved] = useState<Record<string, Status>>({})
  const [dragging, setDragging] = useState<string | null>(null)
  const [over, setOver] = useState<Status | null>(null)
  const [lostFor, setLostFor] = useState<{ id: string; name: string } | null>(null)
  const statusOf = (c: (typeof cards)[number]) => moved[c.id] ?? c.status
  const editable = (c: (typeof cards)[number]) =>
    c.status !== 'converted' && (isManager || c.assignedTo === null || c.assignedTo === me)

  async function move(id: string, to: Status, lost?: { reason: LostReason; detail: string }) {
    const card = cards.find((c) => c.id === id)
    if (!card || statusOf(card) === to) return
    if (to === 'lost' && !lost) return setLostFor({ id, name: card.name })
    setMoved((m) => ({ ...m, [id]: to }))
    try {
      await trpc.leads.setStatus.mutate({
        id,
        status: to,
        lostReason: lost?.reason ?? null,
        lostDetail: lost?.detail ?? null,
      })
      toast({ title: t('leads.moved', { status: t(`leads.statuses.${to}`) }), variant: 'success' })
      revalidator.revalidate()
    } catch (e) {
      setMoved((m) => {
        const { [id]: _rolledBack, ...rest } = m
        return rest
      })
      toast({ title: t('leads.moveFailed', { reason: t(errorKey(e)) }), variant: 'destructive' })
    }
  }

  return (
    <div className="flex min-w-0 flex-col gap-4">
      <LeadsHeader canDelete={canDelete} />
      <p className="text-sm text-muted-foreground">{t('leads.dragHint')}</p>
      <div className="flex snap-x gap-3 overflow-x-auto pb-2" data-testid="board">
        {leadStatuses.map((status) => {
          const column = cards.filter((c) => statusOf(c) === status)
          const total = Math.max(column.length, cards.find((c) => c.status === status)?.columnTotal ?? 0)
          return (
            <section
              key={status}
              aria-label={t(`leads.statuses.${status}`)}
              data-testid={`column-${status}`}
              className={cn(
                'flex w-72 shrink-0 snap-start flex-col gap-2 rounded-lg border bg-muted/40 p-2',
                over === status && 'ring-2 ring-primary',
              )}
              onDragOver={(e) => {
                if (status === 'converted') return
                e.preventDefault()
                setOver(status)
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => {
                e.preventDefault()
                setOver(null)
                const id = e.dataTransfer.getData('text/plain') || dragging
                if (id) void move(id, status)
              }}
            >
              <h2 className="flex items-center justify-between px-1 text-sm font-semibold">
                {t(`leads.statuses.${status}`)}
                <Badge variant="secondary">
                  {column.length === total ? total : t('leads.columnCount', { shown: column.length, total })}
                </Badge>
              </h2>
              <ul className="grid gap-2">
                {column.map((c) => (
                  <li
                    key={c.id}
                    draggable={editable(c)}
                    onDragStart={(e) => {
                      e.dataTransfer.setData('text/plain', c.id)
                      setDragging(c.id)
                    }}
                    onDragEnd={() => setDragging(null)}
                    data-testid="board-card"
                    data-lead-id={c.id}
                    className={cn(
                      'grid gap-1 rounded-md border bg-background p-2 shadow-sm',
                      editable(c) && 'cursor-grab',
                      dragging === c.id && 'opacity-50',
                      moved[c.id] && 'ring-1 ring-primary/40',
                    )}
                  >
                    <Link to={`/app/leads/${c.id}`} className="font-medium text-primary hover:underline">
                      {c.name}
                    </Link>
                    <span className="text-xs text-muted-foreground">{c.phones[0] ?? ''}</span>
                    <span className="text-xs">{c.assigneeName ?? t('leads.unassigned')}</span>
                    {editable(c) ? (
                      // A menu, not a select: arrowing through a select's options moved the lead (and counted as its
                      // first contact) at the first keypress. Here arrows only browse; Enter or a click on a status moves.
                      // Not modal, so choosing "lost" can open its dialog while the menu closes.
                      <DropdownMenu modal={false}>
                        <DropdownMenuTrigger asChild>
                          <Button
                            variant="outline"
                            size="sm"
                            className="h-8 w-fit text-xs"
                            aria-label={`${t('leads.moveTo')}: ${c.name}`}
                          >
                            {t('leads.moveTo')} <span aria-hidden>▾</span>
                          </Button>
                        </DropdownMenuTrigger>
                        <DropdownMenuContent align="start">
                          <DropdownMenuLabel>{t('leads.moveTo')}</DropdownMenuLabel>
                          {leadStatuses
                            .filter((s) => s !== 'converted' && s !== statusOf(c))
                            .map((s) => (
                              <DropdownMenuItem key={s} onSelect={() => void move(c.id, s)}>
                                {t(`leads.statuses.${s}`)}
                              </DropdownMenuItem>
                            ))}
                        </DropdownMenuContent>
                      </DropdownMenu>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          )
        })}
      </div>
      <LostDialog
        open={lostFor !== null}
        leadName={lostFor?.name ?? ''}
        onCancel={() => setLostFor(null)}
        onConfirm={(reason, detail) => {
          const target = lostFor
          setLostFor(null)
          if (target) void move(target.id, 'lost', { reason, detail })
        }}
      />
    </div>
  )
}
