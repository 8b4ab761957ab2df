import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseURL, launchBrowser } from './browser'
import { open, signedIn } from './pages'

/**
 * The README's walkthrough, run as written: its code blocks are read from README.md (each follows a
 * `<!-- walkthrough:name -->` marker), the settings steps are done in the browser as a manager, the curl commands run
 * in bash, and the receiver and the MCP script run with Node from apps/web (where their packages resolve).
 */
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const README = path.resolve(WEB, '../../README.md')

async function readmeBlock(name: string): Promise<string> {
  const text = await readFile(README, 'utf8')
  const m = new RegExp(`<!-- walkthrough:${name} -->\\s*\`\`\`\\w+\\n([\\s\\S]*?)\\n\\s*\`\`\``).exec(text)
  if (!m) throw new Error(`README.md has no walkthrough:${name} block`)
  // The blocks sit in a list item: drop the item's indentation.
  const lines = m[1]!.split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length))
  return lines.map((l) => l.slice(indent)).join('\n')
}

function run(command: string, args: string[], env: Record<string, string>, cwd = WEB) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

let browser: Browser
let scripts: string
let receiver: ChildProcess | null = null
let receiverOut = ''

beforeAll(async () => {
  browser = await launchBrowser()
  scripts = await mkdtemp(path.join(WEB, '.walkthrough-'))
})
afterAll(async () => {
  receiver?.kill()
  await browser.close()
  await rm(scripts, { recursive: true, force: true })
})

describe('the README walkthrough', () => {
  it('key in the UI, docs, a lead by curl, its signed webhook verified, the lead found over MCP', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    const name = `Site da agência ${Date.now()}`

    // 2. A key, from Settings → Integrações.
    await open(page, '/app/settings')
    await page.getByRole('link', { name: 'Integrações' }).click()
    await page.getByRole('button', { name: 'Nova integração' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Nome').fill(name)
    await dialog.getByRole('checkbox', { name: /leads:read/ }).check()
    await dialog.getByRole('checkbox', { name: /leads:write/ }).check()
    await dialog.getByRole('button', { name: 'Criar e mostrar chave' }).click()
    const key = await dialog.getByTestId('new-key-value').innerText()
    expect(key).toMatch(/^imp_live_/)
    await dialog.getByRole('button', { name: 'Fechar' }).click()
    await expect.poll(() => dialog.count()).toBe(0)

    // 3. The reference.
    const docs = await page.goto('/api/docs')
    expect(docs!.status()).toBe(200)
    const spec = await (await fetch(`${baseURL()}/api/v1/openapi.json`)).json()
    expect(spec.openapi).toMatch(/^3\.1/)
    expect(Object.keys(spec.paths)).toContain('/leads')

    // 4. An endpoint for the receiver, then the README's receiver with the secret shown once.
    const port = await freePort()
    await open(page, '/app/settings/webhooks')
    await page.getByRole('button', { name: 'Novo endpoint' }).click()
    await dialog.getByLabel('URL').fill(`http://127.0.0.1:${port}/`)
    expect(await dialog.getByRole('checkbox', { name: /Lead criado/ }).isChecked()).toBe(true)
    await dialog.getByRole('button', { name: 'Criar endpoint' }).click()
    const secret = await dialog.getByTestId('webhook-secret-value').innerText()
    expect(secret).toMatch(/^whsec_/)
    await dialog.getByRole('button', { name: 'Fechar' }).click()
    await writeFile(path.join(scripts, 'receiver.mjs'), await readmeBlock('receiver'))
    receiver = spawn(process.execPath, [path.join(scripts, 'receiver.mjs')], {
      cwd: WEB,
      env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    receiver.stdout!.on('data', (c) => (receiverOut += c))
    // Listening: a request that is not signed is refused by the README's code, not by a closed port.
    await expect
      .poll(() =>
        fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then(
          (r) => r.status,
          () => 0,
        ),
      )
      .toBe(400)
    // What the receiver prints reaches us through a pipe, after its answer did.
    await expect.poll(() => receiverOut).toContain('refused:')

    // 5. curl, as written: a first read, then the create, twice with the same Idempotency-Key.
    const env = { IMPERA_URL: baseURL(), IMPERA_KEY: key }
    const first = await run('bash', ['-c', await readmeBlock('first-call')], env)
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ data: expect.any(Array), total: { count: expect.any(Number) } })
    const create = await readmeBlock('create-lead')
    const created = await run('bash', ['-c', create], env)
    expect(created.code, created.stderr).toBe(0)
    const lead = JSON.parse(created.stdout)
    expect(lead).toMatchObject({
      name: 'Marina Walkthrough',
      phones: ['+5511976543210'],
      status: 'new',
      budgetMax: 90000000,
    })
    const replayed = await run('bash', ['-c', create.replace('curl -sS', 'curl -sS -i')], env)
    expect(replayed.stdout).toMatch(/^idempotent-replayed: true/im)
    expect(replayed.stdout).toContain(lead.id)

    // The signed lead.created reached the receiver and verified there (once: the replay created nothing).
    await expect.poll(() => receiverOut.includes(`verified lead.created {"lead":{"id":"${lead.id}"`)).toBe(true)
    expect(receiverOut.split(lead.id).length - 1).toBe(1)

    // 6. The README's MCP script finds the lead, listing only the tools the key's scopes allow.
    await writeFile(path.join(scripts, 'find-lead.mjs'), await readmeBlock('mcp'))
    const mcp = await run(process.execPath, [path.join(scripts, 'find-lead.mjs'), 'Marina Walkthrough'], env)
    expect(mcp.code, mcp.stderr).toBe(0)
    const [toolsLine, found] = mcp.stdout.trim().split('\n')
    expect(toolsLine).toContain('search_leads')
    expect(toolsLine).toContain('add_note')
    expect(toolsLine).not.toContain('send_message')
    expect(JSON.parse(found!)).toContainEqual({ id: lead.id, name: 'Marina Walkthrough' })

    // In the app, the lead's history names the integration, marked as such.
    await open(page, `/app/leads/${lead.id}`)
    const byIntegration = page.getByTestId('actor-integration')
    await expect.poll(() => byIntegration.count()).toBeGreaterThan(0)
    for (const text of await byIntegration.allInnerTexts()) expect(text).toBe(`Integração ${name} via API`)

    // Leave the agency as found: later specs count its endpoints, and a dead receiver would only collect retries.
    await open(page, '/app/settings/webhooks')
    page.on('dialog', (d) => void d.accept())
    const card = page.getByTestId('webhook-endpoint').filter({ hasText: `http://127.0.0.1:${port}/` })
    await card.getByRole('button', { name: 'Excluir' }).click()
    await expect.poll(() => card.count()).toBe(0)
    expect(page.errors).toEqual([])
  })
})
