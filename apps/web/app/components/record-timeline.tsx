import { useI18n } from '../i18n'

export interface TimelineEvent {
  id: string
  kind: string
  data: unknown
  at: Date | string
  actorName: string | null
}

/** A record's history, newest first: who did what, when. `describe` words each event for its domain. */
export function RecordTimeline({
  events,
  describe,
}: {
  events: TimelineEvent[]
  describe: (e: TimelineEvent, data: Record<string, unknown>) => React.ReactNode
}) {
  const { dateTime } = useI18n()
  return (
    <ol className="grid gap-2 border-l pl-4" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id} className="text-sm">
          <span className="font-medium">{e.actorName ?? '—'}</span>{' '}
          {describe(e, (e.data ?? {}) as Record<string, unknown>)}
          <div className="text-xs text-muted-foreground">{dateTime(e.at)}</div>
        </li>
      ))}
    </ol>
  )
}
