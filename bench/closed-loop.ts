import { randomUUID } from 'node:crypto'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

/**
 * One kind of request of a load run, as data (it crosses to the client's thread). In a POST body, the string
 * `$uuid` becomes a fresh id and `$conversation` the user's own conversation.
 */
export interface LoadRequest {
  method: 'GET' | 'POST'
  path: string
  body?: Record<string, unknown>
}

export interface ClosedLoopOptions {
  base: string
  cookie?: string
  users: number
  seconds: number
  requests: LoadRequest[]
  conversations?: string[]
  /** Each user's pause after an answer before its next request (0: none). */
  thinkMs?: number
}

export interface ClosedLoopResult {
  requests: number
  perSecond: number
  p50: number
  p95: number
  errors: number
}

/**
 * `users` closed-loop users going round `requests` for `seconds`, on a thread of their own: the users' side of a
 * load run must not share the server's event loop, or the server is charged with its clients' work (a browser is
 * not in the server's process either).
 */
export function closedLoop(opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  return new Promise((resolve, reject) => {
    // The bench runs through tsx, whose hooks a worker thread does not inherit: it registers them, then loads this file.
    const load = `import('tsx/esm/api').then((m) => (m.register(), import(${JSON.stringify(import.meta.url)})))`
    const worker = new Worker(load, { eval: true, workerData: opts })
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => code && reject(new Error(`load client exited with ${code}`)))
  })
}

/** One request as a user of the run would send it; true when answered 200. */
export async function sendRequest(opts: ClosedLoopOptions, r: LoadRequest, user: number) {
  const headers: Record<string, string> = opts.cookie ? { cookie: opts.cookie } : {}
  if (r.body) headers['content-type'] = 'application/json'
  const body = r.body
    ? JSON.stringify(
        Object.fromEntries(
          Object.entries(r.body).map(([k, v]) => [
            k,
            v === '$uuid'
              ? randomUUID()
              : v === '$conversation'
                ? opts.conversations![user % opts.conversations!.length]
                : v,
          ]),
        ),
      )
    : undefined
  const res = await fetch(opts.base + r.path, { method: r.method, headers, body })
  await res.arrayBuffer()
  return res.status === 200
}

async function run(opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const latencies: number[] = []
  let errors = 0
  const end = Date.now() + opts.seconds * 1000
  await Promise.all(
    Array.from({ length: opts.users }, async (_, u) => {
      let k = u
      while (Date.now() < end) {
        const t0 = performance.now()
        const ok = await sendRequest(opts, opts.requests[k++ % opts.requests.length]!, u).catch(() => false)
        latencies.push(performance.now() - t0)
        if (!ok) errors++
        if (opts.thinkMs) await new Promise((r) => setTimeout(r, opts.thinkMs))
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    requests: latencies.length,
    perSecond: round(latencies.length / opts.seconds),
    p50: round(at(50)),
    p95: round(at(95)),
    errors,
  }
}

if (!isMainThread && parentPort) parentPort.postMessage(await run(workerData as ClosedLoopOptions))
