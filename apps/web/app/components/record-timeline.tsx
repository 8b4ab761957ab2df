import { useI18n } from '../i18n'

export interface TimelineEvent {
  id: string
  kind: string
  data: unknown
  at: Date | string
  actorName: string | null
  actorKind?: 'person' | 'integration' | null
}

/**
 * Who did something: a person by name, an integration (an API key's principal) as "Integração X" with a "via API"
 * mark, so a change made by the site, a portal bridge or the AI agent is never mistaken for a colleague's.
 */
export function ActorName({ name, kind }: { name: string | null; kind?: 'person' | 'integration' | null }) {
  const { t } = useI18n()
  if (!name) return <span className="font-medium">—</span>
  if (kind !== 'integration') return <span className="font-medium">{name}</span>
  return (
    <span data-testid="actor-integration">
      <span className="font-medium">{t('common.integrationActor', { name })}</span>{' '}
      <span className="rounded bg-muted px-1 py-0.5 text-xs text-muted-foreground">{t('common.viaApi')}</span>
    </span>
  )
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
          <ActorName name={e.actorName} kind={e.actorKind} /> {describe(e, (e.data ?? {}) as Record<string, unknown>)}
          <div className="text-xs text-muted-foreground">{dateTime(e.at)}</div>
        </li>
      ))}
    </ol>
  )
}
