import type { Browser, Page } from 'playwright-core'
import { createDb, sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  // Chromium's fake microphone (a tone) and no permission prompt: the recorder gets real Opus in WebM.
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'])
})
afterAll(() => browser.close())

async function ownerQuery<T extends Record<string, unknown>>(query: ReturnType<typeof sql>) {
  const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
  try {
    return await owner.db.execute<T>(query)
  } finally {
    await owner.close()
  }
}

async function contactWrites(page: Page, accountId: string, from: string, name: string, text: string) {
  const sent = await page.request.post('/api/trpc/whatsapp.sandboxInject', { data: { accountId, from, name, text } })
  expect(sent.status()).toBe(200)
  const conversationOf = async () =>
    (await ownerQuery<{ id: string }>(sql`select id from whatsapp_conversations where contact_name = ${name}`))[0]
      ?.id ?? null
  await expect.poll(conversationOf).not.toBeNull()
  return (await conversationOf())!
}

/**
 * Issue 16's voice notes: an agent records one in the browser, hears it staged, sends it; what is stored and sent is
 * Opus in Ogg (what WhatsApp plays as a voice message), and the thread plays it.
 */
describe('voice notes', () => {
  it('record → hear it staged → send; the file goes as Ogg/Opus and plays in the thread', async () => {
    const tag = Date.now().toString(36)
    const name = `Vera Voz ${tag}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', {
      width: 375,
      context: { permissions: ['microphone'] },
    })
    await open(page, '/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    const id = await contactWrites(
      page,
      accountId,
      `+55 21 9${String(Date.now()).slice(-8)}`,
      name,
      'Pode mandar áudio?',
    )
    await open(page, `/app/inbox/${id}`)
    await hydrated(page)

    await page.getByRole('button', { name: 'Gravar mensagem de voz' }).click()
    const recording = page.getByTestId('voice-recording')
    await recording.waitFor()
    // A second of sound, then stop: the note is staged with a player, not sent yet.
    await expect.poll(() => recording.getByRole('status').innerText(), { timeout: 15_000 }).toMatch(/Gravando 0:0[1-9]/)
    await recording.getByRole('button', { name: 'Parar' }).click()
    const staged = page.getByTestId('staged-file')
    await staged.waitFor()
    expect(await staged.innerText()).toContain('mensagem-de-voz.webm')
    expect(await staged.locator('audio').count()).toBe(1)
    await page.getByRole('button', { name: 'Enviar arquivo' }).click()

    const sentRow = async () =>
      (
        await ownerQuery<{ id: string; type: string; media: { mimeType: string; voice?: boolean; filename: string } }>(
          sql`select id, type, media from whatsapp_messages where conversation_id = ${id} and direction = 'outbound'`,
        )
      )[0]
    await expect.poll(async () => (await sentRow())?.type ?? null).toBe('audio')
    const row = (await sentRow())!
    expect(row.media).toMatchObject({ mimeType: 'audio/ogg', voice: true, filename: 'mensagem-de-voz.ogg' })
    const file = await page.request.get(`/media/whatsapp/${row.id}`)
    const bytes = Buffer.from(await file.body())
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('OggS')
    expect(bytes.includes(Buffer.from('OpusHead'))).toBe(true)
    // And it is sound: the browser's own decoder reads the Ogg back (about as long as it was recorded).
    const seconds = await page.evaluate(async (url) => {
      const data = await (await fetch(url)).arrayBuffer()
      const decoded = await new OfflineAudioContext(1, 48_000, 48_000).decodeAudioData(data)
      return decoded.duration
    }, `/media/whatsapp/${row.id}`)
    expect(seconds).toBeGreaterThan(0.5)
    // The thread plays it.
    const audio = page.getByTestId('message').locator('audio')
    await expect.poll(() => audio.count()).toBeGreaterThan(0)
    expect(page.errors).toEqual([])
  })
})
