import { lockSession, whatsappAccounts, withAgency, sql, type Db } from '@impera/db'
import { and, eq } from 'drizzle-orm'
import type { WhatsAppSystemCtx } from '../ctx'
import type { ProviderError, SendResult } from '../whatsapp'
import { withReadMemo } from '../read-memo'
import {
  callProvider,
  claimDueSends,
  hasDueSends,
  MAX_SEND_ATTEMPTS,
  recordSendFailure,
  recordSentBatch,
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
    withAgency(db, { agencyId, userId: null }, (tx) => withReadMemo(() => recordSentBatch(tx, taken))).then(
      (changes) =>
        taken.forEach((b) =>
          b.done(
            null,
            changes.filter((c) => c.messageId === b.claimed.message.id),
          ),
        ),
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
    const sendOne = async (claimed: ClaimedSend) => {
      try {
        const result = await callProvider(ctx, claimed).catch(async (e: ProviderError) => {
          const failure = await recordSendFailure(ctx, claimed, e, claimed.attempt >= MAX_SEND_ATTEMPTS)
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
        inFlight.delete(claimed.message.conversationId)
      }
    }
    const flush = async () => {
      if (!changes.length) return
      const batch = changes
      changes = []
      await onChanges(batch)
    }

    /** The next tenth of a second's worth of due messages, claimed in one transaction. */
    const claimNext = async () => {
      const room = MAX_IN_FLIGHT - inFlight.size
      if (fault || performance.now() > until || room <= 0) return []
      const { claimed, changes: overtaken } = await withAgency(ctx.db, { agencyId, userId: null }, (tx) =>
        claimDueSends(tx, {
          agencyId,
          accountId,
          busy: [...inFlight.keys()],
          limit: Math.min(room, claimsPerTransaction),
          claimedBy: ctx.instanceId,
        }),
      )
      for (const c of overtaken) settle([c])
      return claimed
    }
    const anythingDue = () =>
      withAgency(ctx.db, { agencyId, userId: null }, (tx) => hasDueSends(tx, { agencyId, accountId }))

    let next = claimNext()
    for (;;) {
      const claims = await next
      if (claims.length) {
        // The next batch is claimed while this one is paced out, so the queries never leave the grid's slots empty.
        // Their claims are committed: `sending` keeps them and their recipients' next messages out of the next batch.
        next = claimNext()
        for (const claimed of claims) {
          for (let wait = pacer.take(); wait > 0; wait = pacer.take()) await sleep(wait)
          inFlight.set(claimed.message.conversationId, sendOne(claimed))
        }
        await flush()
        continue
      }
      if (inFlight.size) {
        // Something due may be waiting on a recipient in flight: look again once one of them is answered.
        await Promise.race(inFlight.values())
        await flush()
        next = claimNext()
        continue
      }
      // What came in while the last batch of changes was being sent.
      await flush()
      if (fault) throw fault
      if (performance.now() > until) {
        run.handover = await anythingDue()
        break
      }
      // Nothing due: let go, then look once more — a run that found the number taken meanwhile has left, counting
      // on this one to take what it was scheduled for.
      await lock.letGo()
      if (!(await anythingDue())) break
      if (!(await lock.take())) return run
      next = claimNext()
    }
    run.wakeAt = await earliestBackOff(ctx.db, agencyId, accountId)
    return run
  } finally {
    await lock.letGo()
  }
}
