import { lockSession, whatsappAccounts, withAgency, sql, type Db } from '@impera/db'
import { and, eq } from 'drizzle-orm'
import type { WhatsAppSystemCtx } from '../ctx'
import type { ProviderError, SendResult } from '../whatsapp'
import { withReadMemo } from '../read-memo'
import {
  callProvider,
  claimSend,
  MAX_SEND_ATTEMPTS,
  recordSendFailure,
  recordSent,
  type ClaimedSend,
  type WhatsAppChange,
} from './whatsapp-pipeline'

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

/** Accepted sends recorded per transaction at most, and how long the first of them waits for others to join it. */
const RECORD_BATCH = 16
const RECORD_WAIT_MS = 10

/**
 * Accepted sends, recorded a batch per transaction (their claims were committed before the calls, so a batch that
 * fails to record leaves its messages in `sending` — never resent — for the receipts to settle).
 */
function sentRecorder(db: Db, agencyId: string) {
  let batch: { claimed: ClaimedSend; result: SendResult; done: (e: unknown, c?: WhatsAppChange[]) => void }[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    const taken = batch
    batch = []
    withAgency(db, { agencyId, userId: null }, (tx) =>
      withReadMemo(async () => {
        const out: WhatsAppChange[][] = []
        for (const b of taken) out.push(await recordSent(tx, b.claimed, b.result))
        return out
      }),
    ).then(
      (out) => taken.forEach((b, i) => b.done(null, out[i])),
      (e: unknown) => taken.forEach((b) => b.done(e)),
    )
  }
  return (claimed: ClaimedSend, result: SendResult) =>
    new Promise<WhatsAppChange[]>((resolve, reject) => {
      batch.push({ claimed, result, done: (e, c) => (e ? reject(e) : resolve(c!)) })
      if (batch.length >= RECORD_BATCH) flush()
      else timer ??= setTimeout(flush, RECORD_WAIT_MS)
    })
}

/**
 * Worker step: sends a number's queued messages until none is due (decision 049) — paced to the number's throughput,
 * several provider calls in flight at once, one per recipient. Due messages are claimed a tenth of a second's worth per
 * transaction (committed before their calls, so every send happens once whoever else runs) and accepted sends are
 * recorded in batches. One run per number at a time (an advisory lock); a run that finds the number taken leaves at
 * once, since the holder looks for due messages again after it lets go. `onChanges` receives the live changes.
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
    const claimsPerTransaction = Math.max(1, Math.ceil(account.perSecond / 10))
    const record = sentRecorder(ctx.db, agencyId)
    const until = performance.now() + runForMs
    const inFlight = new Map<string, Promise<void>>()
    let changes: WhatsAppChange[] = []
    let fault: unknown = null

    const settle = (c: WhatsAppChange[]) => {
      changes.push(...c)
      run.settled++
    }
    const sendOne = async (m: Due, claimed: ClaimedSend) => {
      try {
        const result = await callProvider(ctx, claimed).catch(async (e: ProviderError) => {
          const failure = await recordSendFailure(ctx, claimed, e, m.attempts + 1 >= MAX_SEND_ATTEMPTS)
          if (!failure.retry) return settle(failure.changes)
          run.retried++
          if (NUMBER_LIMITS.has(e.code)) pacer.hold()
        })
        if (!result) return
        pacer.ok()
        settle(await record(claimed, result))
      } catch (e) {
        fault ??= e
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
      const room = MAX_IN_FLIGHT - inFlight.size
      const due =
        fault || performance.now() > until || room <= 0
          ? []
          : await dueMessages(ctx.db, agencyId, accountId, [...inFlight.keys()], Math.min(room, claimsPerTransaction))
      if (due.length) {
        const claims = await withAgency(ctx.db, { agencyId, userId: null }, async (tx) => {
          const out: [Due, Awaited<ReturnType<typeof claimSend>>][] = []
          for (const m of due)
            out.push([m, await claimSend(tx, { agencyId, messageId: m.id, claimedBy: ctx.instanceId })])
          return out
        })
        for (const [m, claimed] of claims) {
          if (!claimed) continue
          if ('skipped' in claimed) {
            settle([claimed.skipped])
            continue
          }
          for (let wait = pacer.take(); wait > 0; wait = pacer.take()) await sleep(wait)
          inFlight.set(m.conversationId, sendOne(m, claimed))
        }
        await flush()
        continue
      }
      if (inFlight.size) {
        // Something due may be waiting on a recipient in flight: look again once one of them is answered.
        await Promise.race(inFlight.values())
        await flush()
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
