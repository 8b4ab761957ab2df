import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { benchWhatsapp } from './whatsapp'

/**
 * `pnpm bench`: measured figures, written to bench/results/latest.{json,md} with the machine they ran on. Today:
 * WhatsApp latency and throughput; the query benchmarks (lists, search, dashboard, with ratios to bare SQL on the
 * large seed) arrive with the search/performance issue.
 */
const log = (m: string) => console.log(m)
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` }
log(`bench on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}`)
log('WhatsApp:')
const whatsapp = await benchWhatsapp({ rate: 20, seconds: 10, outbound: 200, log })
const at = new Date().toISOString()
const md = `# Benchmark results

Run ${at} on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB RAM, Node ${machine.node} (${machine.platform}).
Reproduce with \`pnpm bench\` (embedded PostgreSQL, in-repo Graph API stand-in, loopback only).

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
await writeFile(path.join(dir, 'latest.json'), JSON.stringify({ at, machine, whatsapp }, null, 2))
await writeFile(path.join(dir, 'latest.md'), md)
log(md)
process.exit(0)
