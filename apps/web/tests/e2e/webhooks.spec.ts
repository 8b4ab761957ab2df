import { createHmac } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

interface Hit {
  headers: Record<string, string>
  body: string
}

let browser: Browser
let receiver: Server
let url = ''
const hits: Hit[] = []

beforeAll(async () => {
  browser = await launchBrowser()
  // The endpoint: a local receiver (the test server allows private targets, WEBHOOKS_ALLOW_PRIVATE_TARGETS=true).
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    hits.push({
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: Buffer.concat(chunks).toString('utf8'),
    })
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"recebido":true}')
  })
  receiver.listen(0, '127.0.0.1')
  await once(receiver, 'listening')
  url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/impera`
})
afterAll(async () => {
  await browser.close()
  await new Promise((r) => receiver.close(r))
})

/** Standard Webhooks: v1 = base64 HMAC-SHA256 of `id.timestamp.body` with the secret's bytes. */
function verifies(secret: string, hit: Hit) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const mac = createHmac('sha256', key)
    .update(`${hit.headers['webhook-id']}.${hit.headers['webhook-timestamp']}.${hit.body}`)
    .digest('base64')
  return hit.headers['webhook-signature']!.split(' ').includes(`v1,${mac}`)
}

describe('Settings → Webhooks', () => {
  it('creates an endpoint from the keyboard, shows its secret once, sends a test event and logs it', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    page.on('dialog', (d) => void d.accept())
    await open(page, '/app/settings')
    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.waitForURL(/\/app\/settings\/webhooks$/)
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor()

    // Keyboard only: open the dialog, type the URL (focused), keep the default event, submit with Enter.
    await page.getByRole('button', { name: 'Novo endpoint' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('URL').waitFor()
    await expect.poll(() => dialog.getByLabel('URL').evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type(url)
    expect(await dialog.getByRole('checkbox', { name: /Lead criado/ }).isChecked()).toBe(true)
    await page.keyboard.press('Enter')
    const secret = await dialog.getByTestId('webhook-secret-value').innerText()
    expect(secret).toMatch(/^whsec_/)
    expect(await dialog.getByTestId('webhook-secret').innerText()).toContain('não será mostrado de novo')
    // Closed from the keyboard too (Escape would first dismiss the toast, the topmost layer).
    await dialog.getByRole('button', { name: 'Fechar' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => dialog.count()).toBe(0)

    const card = page.getByTestId('webhook-endpoint').filter({ hasText: url })
    await card.waitFor()
    expect(await card.getByTestId('webhook-state').innerText()).toBe('Ativo')
    expect(await card.getByTestId('webhook-last').innerText()).toContain('Nenhuma entrega ainda')
    // Shown once: not on the page any more, nor after a reload, nor when the dialog opens again.
    expect(await page.content()).not.toContain(secret)
    await page.reload()
    await card.waitFor()
    expect(await page.content()).not.toContain(secret)
    await page.getByRole('button', { name: 'Novo endpoint' }).click()
    await dialog.getByLabel('URL').waitFor()
    expect(await page.getByTestId('webhook-secret').count()).toBe(0)
    await dialog.getByRole('button', { name: 'Fechar' }).click()
    await expect.poll(() => dialog.count()).toBe(0)

    // A test event: it reaches the receiver signed with that secret, and the log (opened by it) says delivered.
    await card.getByRole('button', { name: 'Enviar evento de teste' }).click()
    await expect.poll(() => hits.length, { timeout: 15_000 }).toBe(1)
    expect(JSON.parse(hits[0]!.body)).toMatchObject({ type: 'webhook.test', seq: 1 })
    expect(verifies(secret, hits[0]!)).toBe(true)
    const log = card.getByTestId('webhook-log')
    const first = log.getByTestId('webhook-delivery').first()
    await expect
      .poll(() => first.getByTestId('webhook-delivery-state').innerText(), { timeout: 15_000 })
      .toBe('Entregue')
    const row = await first.innerText()
    expect(row).toContain('Evento de teste')
    expect(row).toContain('HTTP 200')
    expect(row).toContain('{"recebido":true}')

    // Send again: the same event (same webhook-id), a new place in the queue.
    await first.getByRole('button', { name: 'Enviar de novo' }).click()
    await expect.poll(() => hits.length, { timeout: 15_000 }).toBe(2)
    expect(hits[1]!.headers['webhook-id']).toBe(hits[0]!.headers['webhook-id'])
    await expect
      .poll(async () => (await log.getByTestId('webhook-delivery').first().innerText()).includes('reenviado'), {
        timeout: 15_000,
      })
      .toBe(true)
    await page.reload()
    await expect.poll(() => card.getByTestId('webhook-last').innerText()).toContain('Entregue')
    expect(page.errors).toEqual([])
  })

  it('works on a 375 px screen without sideways scrolling, and cleans up', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    page.on('dialog', (d) => void d.accept())
    await open(page, '/app/settings/webhooks')
    const card = page.getByTestId('webhook-endpoint').filter({ hasText: url })
    await card.waitFor()
    await card.getByRole('button', { name: 'Registro de entregas' }).click()
    await card.getByTestId('webhook-delivery').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await card.getByRole('button', { name: 'Desativar' }).click()
    await expect.poll(() => card.getByTestId('webhook-state').innerText()).toBe('Desativado')
    expect(await card.getByRole('button', { name: 'Enviar evento de teste' }).isDisabled()).toBe(true)
    await card.getByRole('button', { name: 'Excluir' }).click()
    await expect.poll(() => card.count()).toBe(0)
    await expect.poll(() => page.getByText('Nenhum endpoint ainda').count()).toBe(1)
    expect(page.errors).toEqual([])
  })
})
