import { createHmac } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { sandboxInboundBody, createSecretBox } from '@impera/api/whatsapp'
import postgres from 'postgres'
import { ROOT } from './stack'

/**
 * A contact writing to an agency's sandbox number from the command line (`wa:simulate`, `ai:simulate`), while the app
 * runs: finds the number in the running app's database, and signs Cloud-API-shaped deliveries with its app secret for
 * the app's webhook — the same path a real message takes (stored raw event → worker → database → live update).
 */
export async function openSandbox(agency: string) {
  const secretsFile = path.join(ROOT, '.data/local-secrets.json')
  const local = existsSync(secretsFile)
    ? (JSON.parse(await readFile(secretsFile, 'utf8')) as { pgPassword: string; secretsKey?: string })
    : null
  const dbUrl =
    process.env.DATABASE_URL ??
    (local
      ? `postgres://postgres:${encodeURIComponent(local.pgPassword)}@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/impera`
      : null)
  if (!dbUrl) throw new Error('No database: set DATABASE_URL, or run `pnpm dev` first (embedded database).')
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} })
  const [account] = await sql<
    { id: string; agency_id: string; phone_number_id: string; display_number: string; app_secret_enc: string }[]
  >`
    select a.id, a.agency_id, a.phone_number_id, a.display_number, a.app_secret_enc from whatsapp_accounts a
    join agencies g on g.id = a.agency_id
    where g.slug = ${agency} and a.provider = 'sandbox' order by a.created_at limit 1`
  if (!account) {
    await sql.end()
    throw new Error(`agency "${agency}" has no sandbox number (add one in Settings → WhatsApp numbers)`)
  }
  const secret = createSecretBox(process.env.SECRETS_KEY ?? local?.secretsKey).open(account.app_secret_enc)
  return {
    sql,
    account,
    async deliver(url: string, contact: { from: string; name?: string; text: string }) {
      const body = JSON.stringify(
        sandboxInboundBody({
          phoneNumberId: account.phone_number_id,
          displayNumber: account.display_number,
          ...contact,
        }),
      )
      const res = await fetch(`${url}/webhooks/whatsapp/${account.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
        body,
      })
      if (res.status !== 200) throw new Error(`the app answered ${res.status}`)
    },
  }
}
