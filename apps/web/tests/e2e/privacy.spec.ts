import { readFile } from 'node:fs/promises'
import { unzipSync } from 'fflate'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * A data subject's requests (LGPD, decision 038) as a manager answers them on the lead's page: the ZIP downloads,
 * and anonymising asks for the typed word before it does anything, then shows the record without the person. Agents
 * do not get the actions. Then the agency's own export (decision 041), built by the worker.
 */
describe('a person’s data', () => {
  it('downloads everything as a ZIP and anonymises after a typed confirmation', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    const created = await page.request.post('/api/trpc/leads.create', {
      data: {
        data: {
          name: 'Teodora Titular',
          phones: ['+55 11 97711-4411'],
          email: 'teodora.titular@example.com',
          source: 'website',
          tags: [],
          locations: [],
        },
      },
    })
    expect(created.status()).toBe(200)
    const leadId = (await created.json()).result.data.id as string
    await open(page, `/app/leads/${leadId}`)
    await hydrated(page)
    const privacy = page.getByTestId('privacy')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      privacy.getByRole('link', { name: 'Exportar tudo (ZIP)' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^dados-pessoais-\d{4}-\d{2}-\d{2}\.zip$/)

    await privacy.getByRole('button', { name: 'Anonimizar…' }).click()
    const dialog = page.getByRole('dialog')
    const confirm = dialog.getByRole('button', { name: 'Anonimizar para sempre' })
    expect(await confirm.isDisabled()).toBe(true)
    await dialog.getByLabel('Digite ANONIMIZAR para confirmar').fill('anonimizar')
    expect(await confirm.isDisabled()).toBe(false)
    await confirm.click()
    await page.getByTestId('anonymised').waitFor()
    await expect.poll(() => page.getByTestId('lead-name').innerText()).toBe('Pessoa anonimizada')
    expect(await page.getByTestId('lead-details').innerText()).not.toContain('teodora.titular@example.com')
    // The action is gone for this person; the focus it held is on the export, not lost.
    expect(await page.getByTestId('privacy').getByRole('button', { name: 'Anonimizar…' }).count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe('Exportar tudo (ZIP)')

    const agent = await signedIn(browser, 'carla.mendes@horizonte.demo')
    await open(agent, '/app/leads')
    const hrefs = await agent
      .locator('a[href^="/app/leads/"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute('href') ?? ''))
    await open(
      agent,
      hrefs.find((h) => /^\/app\/leads\/[0-9a-f-]{36}$/.test(h))!,
    )
    await agent.getByTestId('lead-details').waitFor()
    expect(await agent.getByTestId('privacy').count()).toBe(0)
  })

  it('exports the whole agency: progress while the worker builds it, then the ZIP', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/settings')
    await page.getByRole('link', { name: 'Exportar dados' }).click()
    await page.getByRole('heading', { name: 'Exportar os dados da imobiliária' }).waitFor()
    await hydrated(page)
    await page.getByRole('button', { name: 'Gerar exportação' }).click()
    const item = page.getByTestId('agency-export').first()
    // The worker builds it; the page hears of each step live and shows the download once it is ready.
    const link = item.getByRole('link', { name: /^Baixar ZIP/ })
    await link.waitFor({ timeout: 60_000 })
    expect(await item.innerText()).toContain('Pronta')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toMatch(/^impera-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.zip$/)
    const files = unzipSync(new Uint8Array(await readFile((await download.path())!)))
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['LEIA-ME.txt', 'leads.csv', 'imoveis.csv', 'fotos.csv']))
    expect(Buffer.from(files['equipe.csv']!).toString('utf8')).toContain('ana.souza@horizonte.demo')
    expect(Object.keys(files).some((f) => f.startsWith('fotos/') && f.endsWith('.webp'))).toBe(true)

    const agent = await signedIn(browser, 'carla.mendes@horizonte.demo')
    expect((await open(agent, '/app/settings/export'))!.status()).toBe(403)
  })
})
