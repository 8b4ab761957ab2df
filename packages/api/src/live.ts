/**
 * Live updates (Socket.IO), shared by the web server, the worker's emitter and the browser. Events carry only ids:
 * a client that hears of a change refetches through tRPC, so what it sees is always filtered by the same visibility
 * rules as any request, and nothing is missed after a reconnect (it refetches then too).
 */
export const LIVE_PATH = '/socket.io'

/**
 * A socket joins its agency's room, its user's room and, for managers, the managers' room. Changes to a conversation
 * go where its readers are: everyone for an unassigned one (or when agents see all records); otherwise the managers
 * and the assignee only, so an agent never even learns the ids of colleagues' conversations.
 */
export const rooms = {
  agency: (agencyId: string) => `agency:${agencyId}`,
  managers: (agencyId: string) => `agency:${agencyId}:managers`,
  user: (userId: string) => `user:${userId}`,
}

export function roomsForConversation(agencyId: string, assignedTo: string | null, agentsSeeAll: boolean): string[] {
  return assignedTo === null || agentsSeeAll
    ? [rooms.agency(agencyId)]
    : [rooms.managers(agencyId), rooms.user(assignedTo)]
}

/** What changed in a conversation (the browser refetches it). No zod here: this module is in every page's bundle. */
export interface WhatsappChanged {
  conversationId: string
  messageId?: string
  kind: 'message' | 'status' | 'conversation'
}

export interface ServerToClientEvents {
  'wa:changed': (payload: WhatsappChanged) => void
  /** Something landed on the agency's activity feed or figures; dashboards refetch (no ids: readers filter). */
  'activity:changed': () => void
  /** The user's notifications changed; the bell refetches. */
  'notifications:changed': () => void
  /** An import moved (a batch committed, a report finished); the imports page refetches. Managers only. */
  'imports:changed': () => void
  /** A task or visit changed (decision 025); agendas and record pages refetch. To its assignee and the managers. */
  'tasks:changed': () => void
  /** A bulk operation moved (a chunk committed, or it finished); its progress bar refetches. To its creator. */
  'bulk:changed': () => void
  /** An agency export moved (progress, ready, failed); the export page refetches. Managers only. */
  'exports:changed': () => void
}

/** The slice of a node-postgres pool the emitter needs. */
export interface NotifyPool {
  query(text: string, values: unknown[]): Promise<unknown>
}

/**
 * Emits to Socket.IO rooms from a process without a Socket.IO server (the worker), by publishing the Postgres
 * adapter's BROADCAST message with NOTIFY on its channel. The published @socket.io/postgres-emitter (0.1.x) omits the
 * namespace the current adapter (0.5, ClusterAdapter) requires, so its messages are dropped; this is the same
 * protocol with the field set. Payloads are ids only, far below NOTIFY's 8 kB limit.
 */
export function createLiveEmitter(pool: NotifyPool, opts: { channelPrefix?: string; nsp?: string } = {}) {
  return {
    async emit<E extends keyof ServerToClientEvents>(
      to: string | string[],
      event: E,
      ...args: Parameters<ServerToClientEvents[E]>
    ) {
      const { channel, payload } = liveNotification(to, event, args, opts)
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload])
    },
    /** Many events in one statement (a batch of ingested deliveries): one round trip instead of one per event. */
    async emitMany<E extends keyof ServerToClientEvents>(
      items: { to: string | string[]; event: E; args: Parameters<ServerToClientEvents[E]> }[],
    ) {
      if (!items.length) return
      const notes = items.map((i) => liveNotification(i.to, i.event, i.args, opts))
      await pool.query('SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS u(c, p)', [
        notes.map((n) => n.channel),
        notes.map((n) => n.payload),
      ])
    },
  }
}

/** The adapter's NOTIFY channel and payload for one event to some rooms. */
export function liveNotification(
  to: string | string[],
  event: keyof ServerToClientEvents,
  args: unknown[],
  opts: { channelPrefix?: string; nsp?: string } = {},
) {
  const nsp = opts.nsp ?? '/'
  const message = {
    uid: 'emitter',
    nsp,
    type: 3,
    data: {
      packet: { type: 2, data: [event, ...args], nsp },
      opts: { rooms: Array.isArray(to) ? to : [to], except: [], flags: {} },
    },
  }
  return { channel: `${opts.channelPrefix ?? 'socket.io'}#${nsp}`, payload: JSON.stringify(message) }
}
