import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { benchQueries, type QueryBenchResult } from './queries'
import { benchWhatsapp } from './whatsapp'

/**
 * `pnpm bench [--scale medium|large]`: measured figures, written to bench/results/latest.{json,md} with the machine
 * they ran on: queries on the scale seed (default large) with their ratio to bare SQL, the leads page TTFB, a mixed
 * load run, and WhatsApp latency and throughput.
 */
const log = (m: string) => console.log(m)
const scaleArg = process.argv.indexOf('--scale')
const scale = (scaleArg > 0 ? process.argv[scaleArg + 1] : 'large') as 'medium' | 'large'
const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
}
log(`bench on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}`)
log(`Queries (${scale} seed):`)
const queries: QueryBenchResult = await benchQueries({ scale, iterations: 40, log })
log('WhatsApp:')
const whatsapp = await benchWhatsapp({ rate: 20, seconds: 10, outbound: 200, log })
const at = new Date().toISOString()
const md = `# Benchmark results

Run ${at} on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB RAM, Node ${machine.node} (${machine.platform}).
Reproduce with \`pnpm bench\` (embedded PostgreSQL 18 with shared_buffers = 1 GB, in-repo Graph API stand-in, loopback only).
Figures on this shared 2-core machine vary between runs (by up to ±40 % on unchanged queries); compare runs, not single cases.

## Queries (${scale} seed, largest agency: ${queries.leadsInAgency.toLocaleString('en')} leads)

Each case runs ${queries.iterations} times through the tRPC router in-process (tenant transaction, validation,
serialisation); "bare" replays the same statements as plain SQL in one transaction on the same database, one after
the other, alternating with the tRPC runs. Both use prepared statements with custom plans. A ratio under 1 means the
service issued independent statements together (pipelined on the connection), which the one-by-one replay does not.

| query | p50 | p95 | p99 | per second | bare SQL p50 | ratio |
|---|---|---|---|---|---|---|
${queries.figures.map((f) => `| ${f.name} | ${f.p50} ms | ${f.p95} ms | ${f.p99} ms | ${f.perSecond} | ${f.bareP50} ms | ×${f.ratio} |`).join('\n')}

${queries.ttfb ? `Leads page (server-rendered, signed in) time to first byte: p50 ${queries.ttfb.p50} ms · p95 ${queries.ttfb.p95} ms · p99 ${queries.ttfb.p99} ms.` : 'Leads page TTFB: not measured (no build).'}

${queries.load ? `Load: ${queries.load.users} concurrent users for ${queries.load.seconds} s on loopback (pages, lists, search, dashboard, note writes): ${queries.load.requests} requests, p95 ${queries.load.p95} ms, ${queries.load.errors} errors.` : ''}

## WhatsApp

| measure | figure |
|---|---|
| webhook → browser latency at ${whatsapp.inbound.rate}/s (${whatsapp.inbound.count} deliveries) | p50 ${whatsapp.inbound.p50} ms · p95 ${whatsapp.inbound.p95} ms · p99 ${whatsapp.inbound.p99} ms · max ${whatsapp.inbound.max} ms |
| deliveries without a live event | ${whatsapp.inbound.lost} |
| outbound throughput (${whatsapp.outbound.count} queued at once, worker concurrency 4) | ${whatsapp.outbound.perSecond} msg/s (${whatsapp.outbound.seconds} s) |

Latency is measured from the start of the signed POST to the Socket.IO event reaching a connected client: HTTP
intake, the stored raw event, the worker's ingest, and the NOTIFY fan-out.
`
const dir = path.join(import.meta.dirname, 'results')
await writeFile(path.join(dir, 'latest.json'), JSON.stringify({ at, machine, queries, whatsapp }, null, 2))
await writeFile(path.join(dir, 'latest.md'), md)
log(md)
process.exit(0)
