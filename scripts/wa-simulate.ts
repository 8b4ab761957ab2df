import { createHmac } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sandboxInboundBody, createSecretBox } from '@impera/api/whatsapp'
import postgres from 'postgres'
import { ROOT } from './stack'

/**
 * `pnpm wa:simulate --from "+55 11 98888-7777" --text "Oi!" [--name "Maria"] [--agency horizonte] [--url http://localhost:3000]`
 *
 * A contact writing to an agency's sandbox number, from the command line, while `pnpm dev` (or `start`) runs. It
 * signs a Cloud-API-shaped delivery with the number's app secret and posts it to the app's webhook: the same path a
 * real message takes (stored raw event → worker → database → live update).
 */
const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    text: { type: 'string' },
    name: { type: 'string' },
    agency: { type: 'string', default: 'horizonte' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 3000}` },
  },
})
if (!values.from || !values.text) {
  console.error(
    'usage: pnpm wa:simulate --from "+55 11 98888-7777" --text "Oi!" [--name Maria] [--agency horizonte] [--url http://localhost:3000]',
  )
  process.exit(2)
}
const secretsFile = path.join(ROOT, '.data/local-secrets.json')
const local = existsSync(secretsFile)
  ? (JSON.parse(await readFile(secretsFile, 'utf8')) as { pgPassword: string; secretsKey?: string })
  : null
const dbUrl =
  process.env.DATABASE_URL ??
  (local
    ? `postgres://postgres:${encodeURIComponent(local.pgPassword)}@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/impera`
    : null)
if (!dbUrl) {
  console.error('No database: set DATABASE_URL, or run `pnpm dev` first (embedded database).')
  process.exit(2)
}
const sql = postgres(dbUrl, { max: 1, onnotice: () => {} })
try {
  const [account] = await sql<
    { id: string; phone_number_id: string; display_number: string; app_secret_enc: string }[]
  >`
    select a.id, a.phone_number_id, a.display_number, a.app_secret_enc from whatsapp_accounts a join agencies g on g.id = a.agency_id
    where g.slug = ${values.agency!} and a.provider = 'sandbox' order by a.created_at limit 1`
  if (!account)
    throw new Error(`agency "${values.agency}" has no sandbox number (add one in Settings → WhatsApp numbers)`)
  const secret = createSecretBox(process.env.SECRETS_KEY ?? local?.secretsKey).open(account.app_secret_enc)
  const body = JSON.stringify(
    sandboxInboundBody({
      phoneNumberId: account.phone_number_id,
      displayNumber: account.display_number,
      from: values.from,
      name: values.name,
      text: values.text,
    }),
  )
  const res = await fetch(`${values.url}/webhooks/whatsapp/${account.id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  })
  if (res.status !== 200) throw new Error(`the app answered ${res.status}`)
  console.log(`delivered to ${account.display_number}: "${values.text}" from ${values.from}`)
} catch (e) {
  console.error((e as Error).message)
  process.exitCode = 1
} finally {
  await sql.end()
}
