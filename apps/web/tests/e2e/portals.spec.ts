import type { Browser } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { grupoOlxPusher, sampleLead } from '../../../../packages/api/tests/stand-ins/grupo-olx'
import { launchBrowser } from './browser'
import { signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Decision 022 end to end: a manager opens the agency's door for Grupo OLX, the portal (a stand-in following its
 * contract) pushes a lead to the URL shown, the real worker makes the lead, and the manager follows it from the
 * settings page to the lead, whose timeline carries the contact's message.
 */
describe('portal lead intake', () => {
  it('connect, receive a lead from the portal, open it from the list of what came in', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/settings')
    await page.getByRole('link', { name: 'Portais (ZAP, Viva Real, OLX)' }).click()
    await page.waitForURL(/\/app\/settings\/portals$/)
    // A fresh door, or (another run left it open) a new password from the rotation: whichever the page offers.
    await page.getByRole('button', { name: /^Gerar (novo )?endereço e senha$/ }).click()
    await expect.poll(() => page.getByTestId('portal-secret-value').count()).toBe(1)
    const url = await page.getByTestId('portal-url').innerText()
    const password = await page.getByTestId('portal-secret-value').innerText()
    expect(url).toMatch(/\/integrations\/grupo-olx\/[A-Za-z0-9_-]{32}\/leads$/)
    expect(await page.getByTestId('portal-user').innerText()).toBe('vivareal')

    const lead = sampleLead({
      name: 'Joana Portal E2E',
      ddd: '21',
      phone: '97654-3210',
      clientListingId: 'PORTAL-E2E-1',
      leadOrigin: 'Zap',
      message: 'Quero visitar no sábado.',
    })
    expect(await grupoOlxPusher({ url, password }).push(lead)).toEqual({ delivered: true, attempts: [{ status: 201 }] })

    // The password is shown once: after a reload only its last characters remain.
    const row = page.getByTestId('portal-recent').getByRole('row').filter({ hasText: 'Joana Portal E2E' })
    await expect
      .poll(
        async () => {
          await page.reload()
          return row.count()
        },
        { timeout: 20_000 },
      )
      .toBe(1)
    expect(await page.getByTestId('portal-secret-value').count()).toBe(0)
    expect(await page.getByText(`termina em ${password.slice(-4)}`).count()).toBe(1)
    expect(await row.innerText()).toContain('Novo lead')
    expect(await page.getByTestId('portal-last-received').innerText()).toMatch(/Último lead recebido: \d/)

    await row.getByRole('link', { name: 'Joana Portal E2E' }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}$/)
    const timeline = page.getByTestId('timeline')
    await expect
      .poll(() => timeline.innerText())
      .toContain('contato pelo ZAP Imóveis sobre o anúncio PORTAL-E2E-1: “Quero visitar no sábado.”')
    await page.close()
  })

  it('a property marked to publish goes out in a well-formed VRSync feed, with its photo as a public JPEG', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/properties/new')
    await page.getByLabel('Título').fill('Apartamento do feed com vista para o parque')
    await page.getByLabel('Tipo').selectOption('apartment')
    await page.getByLabel('Preço de venda').fill('720.000,00')
    await page.getByLabel('Área construída (m²)').fill('68')
    await page.getByLabel('Bairro').fill('Vila Mariana')
    await page.getByLabel('Cidade').fill('São Paulo')
    await page.getByLabel('UF').fill('SP')
    await page
      .getByLabel('Descrição')
      .fill('Dois quartos, sala ampla com varanda, a cinco minutos do metrô e do parque. Condomínio com piscina.')
    await page.getByLabel('Publicar nos portais').check()
    await page.getByRole('button', { name: 'Salvar imóvel' }).click()
    await page.waitForURL(/\/app\/properties\/[0-9a-f-]{36}(\?created=1)?$/)
    const code = (await page.getByTestId('property-code').innerText()).split(' · ')[0]!
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#228866' } })
      .jpeg()
      .toBuffer()
    await page
      .getByTestId('photo-input')
      .setInputFiles([{ name: 'fachada.jpg', mimeType: 'image/jpeg', buffer: photo }])
    await expect.poll(() => page.getByTestId('photo').count(), { timeout: 15_000 }).toBe(1)

    await page.goto('/app/settings/portals')
    // The page is server-rendered: whether the feed exists (another run may have made it) is known at once.
    if (!(await page.getByTestId('feed-url').count()))
      await page.getByRole('button', { name: 'Gerar endereço do feed' }).click()
    await expect.poll(() => page.getByTestId('feed-url').count()).toBe(1)
    const feedUrl = await page.getByTestId('feed-url').innerText()
    // Parsed by the browser's own XML parser: well-formed, and this listing in it with its photo.
    const feed = await page.evaluate(async (url) => {
      const xml = await (await fetch(url)).text()
      const doc = new DOMParser().parseFromString(xml, 'application/xml')
      const ns = 'http://www.vivareal.com/schemas/1.0/VRSync'
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.localName,
        listings: [...doc.getElementsByTagNameNS(ns, 'Listing')].map((l) => ({
          id: l.getElementsByTagNameNS(ns, 'ListingID')[0]?.textContent,
          photo: l.getElementsByTagNameNS(ns, 'Item')[0]?.textContent,
        })),
      }
    }, feedUrl)
    expect(feed.error).toBe(0)
    expect(feed.root).toBe('ListingDataFeed')
    const mine = feed.listings.find((l) => l.id === code)!
    expect(mine.photo).toMatch(/\/feeds\/photos\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.jpg\?expires=\d+&signature=/)
    // The photo link works without a session (a portal's crawler has none).
    const anonymous = await browser.newContext()
    const image = await anonymous.request.get(mine.photo!)
    expect([image.status(), image.headers()['content-type']]).toEqual([200, 'image/jpeg'])
    await anonymous.close()
    expect(await page.getByTestId('feed-counts').innerText()).toMatch(/\d+ publicados/)
    await page.close()
  })

  it('is for managers: an agent is refused, and the page fits a phone', async () => {
    const phone = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    const res = await phone.goto('/app/settings/portals')
    expect(res?.status()).toBe(200)
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await phone.close()
    const agent = await signedIn(browser, 'bruno.lima@horizonte.demo')
    const refused = await agent.goto('/app/settings/portals')
    expect(refused?.status()).toBe(403)
    await agent.close()
  })
})
