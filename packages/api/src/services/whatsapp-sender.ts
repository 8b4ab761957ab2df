import { lockSession, whatsappAccounts, withAgency, sql, type Db } from '@impera/db'
import { and, eq } from 'drizzle-orm'
import type { WhatsAppSystemCtx } from '../ctx'
import { ProviderError } from '../whatsapp'
import { MAX_SEND_ATTEMPTS, sendQueuedMessage, type WhatsAppChange } from './whatsapp-pipeline'

/**
 * The advisory-lock key space of senders: one run per number at a time, the lock held for as long as it sends on a
 * connection of its process (`lockSession`), so a worker that dies frees its numbers at once.
 */
export const SENDER_LOCK_SPACE = 720_911_002

/** Codes by which Meta says the number as a whole is over its throughput (or being upgraded, or the app is). */
const NUMBER_LIMITS = new Set(['130429', '131057', '4', '80007', '429'])

/** Provider calls in flight per number at most: with a slow provider the rate falls rather than the memory growing. */
const MAX_IN_FLIGHT = 64

const CATCH_UP_MS = 50

/**
 * A number's pace (decision 049): sends start on a grid of 1/rate seconds — evenly, rather than a second's worth at
 * once — so a second holds `rate` of them, give or take the 50 ms of slots a late timer may catch up. A throughput
 * error holds every send for a second, doubling while they keep coming.
 */
export class SendPacer {
  private next = -Infinity
  private heldUntil = -Infinity
  private holds = 0
  private readonly interval: number

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.interval = 1000 / perSecond
  }

  /** 0 when a send may start now (its slot is taken), else how many milliseconds until one may. */
  take(): number {
    const t = this.now()
    const at = Math.max(this.next, this.heldUntil)
    if (at > t) return at - t
    // Slots missed by up to 50 ms (a timer or a query late) are caught up, so the rate holds; a longer quiet starts
    // the grid again from now, with no credit for it.
    this.next = t - this.next > CATCH_UP_MS ? t + this.interval : this.next + this.interval
    return 0
  }

  /** The number is over Meta's limit: hold every send, longer each time in a row (1 s, 2 s, 4 s … 60 s). */
  hold(): void {
    this.holds++
    this.heldUntil = this.now() + Math.min(1000 * 2 ** (this.holds - 1), 60_000)
  }

  /** A send went through: the next limit starts the hold over. */
  ok(): void {
    this.holds = 0
  }
}

export interface SendRun {
  /** Another run holds the number: it looks again before it stops, so it takes what this run was scheduled for. */
  busy: boolean
  /** Messages taken and settled: sent, failed for good, or not sent since a person took the conversation over. */
  settled: number
  /** Put back to wait out a back-off. */
  retried: number
  /** The run stopped at its time limit with messages still due: the caller schedules a fresh run. */
  handover: boolean
  /** When the earliest back-off it leaves waiting ends: the caller schedules the sender then. */
  wakeAt: Date | null
}

type Due = {
  id: string
  conversationId: string
  attempts: number
}

/**
 * A number's messages that may go now, oldest first: queued, past any back-off, and the first unsent one of their
 * conversation — one message in flight per recipient keeps their order and Meta's pair limit (reference:
 * whatsapp.md §5.7) — leaving out the conversations this run has in flight.
 */
async function dueMessages(db: Db, agencyId: string, accountId: string, busy: string[], limit: number): Promise<Due[]> {
  return withAgency(db, { agencyId, userId: null }, (tx) =>
    tx.execute<Due>(sql`
      select m.id, m.conversation_id as "conversationId", m.attempts
      from whatsapp_messages m
      where m.agency_id = ${agencyId} and m.account_id = ${accountId}
        and m.direction = 'outbound' and m.status = 'queued'
        and (m.send_after is null or m.send_after <= now())
        and m.conversation_id <> all(${`{${busy.join(',')}}`}::uuid[])
        and not exists (
          select 1 from whatsapp_messages p
          where p.agency_id = m.agency_id and p.conversation_id = m.conversation_id
            and p.direction = 'outbound' and p.status in ('queued', 'sending') and p.seq < m.seq)
      order by m.seq
      limit ${limit}`),
  )
}

/** The end of the earliest back-off among the number's queued messages, if any waits. */
async function earliestBackOff(db: Db, agencyId: string, accountId: string): Promise<Date | null> {
  const [row] = await withAgency(db, { agencyId, userId: null }, (tx) =>
    tx.execute<{ at: Date | null }>(sql`
      select min(send_after) as at from whatsapp_messages
      where agency_id = ${agencyId} and account_id = ${accountId}
        and direction = 'outbound' and status = 'queued' and send_after > now()`),
  )
  return row?.at ? new Date(row.at) : null
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Worker step: sends a number's queued messages until none is due (decision 049) — paced to the number's throughput,
 * several provider calls in flight at once, one per recipient. Each message goes through `sendQueuedMessage`, whose
 * committed claim makes every send happen once whoever else runs. One run per number at a time (an advisory lock on a
 * connection of its own); a run that finds the number taken leaves at once, since the holder looks for due messages
 * again after it lets go. `onChanges` receives the live changes, a batch at a time.
 */
export async function sendDueMessages(
  ctx: WhatsAppSystemCtx & { instanceId?: string; now?: () => number },
  {
    agencyId,
    accountId,
    runForMs = 20_000,
    onChanges,
  }: {
    agencyId: string
    accountId: string
    runForMs?: number
    onChanges: (changes: WhatsAppChange[]) => Promise<void>
  },
): Promise<SendRun> {
  const run: SendRun = { busy: false, settled: 0, retried: 0, handover: false, wakeAt: null }
  const lock = lockSession(ctx.db, SENDER_LOCK_SPACE, accountId)
  try {
    if (!(await lock.take())) return { ...run, busy: true }
    const [account] = await withAgency(ctx.db, { agencyId, userId: null }, (tx) =>
      tx
        .select({ perSecond: whatsappAccounts.messagesPerSecond })
        .from(whatsappAccounts)
        .where(and(eq(whatsappAccounts.agencyId, agencyId), eq(whatsappAccounts.id, accountId))),
    )
    if (!account) return run
    const pacer = new SendPacer(account.perSecond, ctx.now)
    const until = performance.now() + runForMs
    const inFlight = new Map<string, Promise<void>>()
    let changes: WhatsAppChange[] = []
    let fault: unknown = null

    const sendOne = async (m: Due) => {
      try {
        const settled = await sendQueuedMessage(ctx, {
          agencyId,
          messageId: m.id,
          finalAttempt: m.attempts + 1 >= MAX_SEND_ATTEMPTS,
          claimedBy: ctx.instanceId,
        })
        // Only now: `changes` is swapped for a fresh array by each flush, and `changes.push(...(await …))` would
        // have taken the array before the await.
        changes.push(...settled)
        pacer.ok()
        run.settled++
      } catch (e) {
        if (!(e instanceof ProviderError)) {
          fault ??= e
          return
        }
        run.retried++
        if (NUMBER_LIMITS.has(e.code)) pacer.hold()
      } finally {
        inFlight.delete(m.conversationId)
      }
    }
    const flush = async () => {
      if (!changes.length) return
      const batch = changes
      changes = []
      await onChanges(batch)
    }

    for (;;) {
      const due =
        fault || performance.now() > until || inFlight.size >= MAX_IN_FLIGHT
          ? []
          : await dueMessages(ctx.db, agencyId, accountId, [...inFlight.keys()], MAX_IN_FLIGHT - inFlight.size)
      for (const m of due) {
        for (let wait = pacer.take(); wait > 0; wait = pacer.take()) await sleep(wait)
        inFlight.set(m.conversationId, sendOne(m))
      }
      await flush()
      if (due.length) continue
      if (inFlight.size) {
        // Something due may be waiting on a recipient in flight: look again once one of them is answered.
        await Promise.race(inFlight.values())
        continue
      }
      // What came in while the last batch of changes was being sent.
      await flush()
      if (fault) throw fault
      if (performance.now() > until) {
        run.handover = (await dueMessages(ctx.db, agencyId, accountId, [], 1)).length > 0
        break
      }
      // Nothing due: let go, then look once more — a run that found the number taken meanwhile has left, counting
      // on this one to take what it was scheduled for.
      await lock.letGo()
      if (!(await dueMessages(ctx.db, agencyId, accountId, [], 1)).length) break
      if (!(await lock.take())) return run
    }
    run.wakeAt = await earliestBackOff(ctx.db, agencyId, accountId)
    return run
  } finally {
    await lock.letGo()
  }
}
