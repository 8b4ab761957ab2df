import type { Browser, Page } from 'playwright-core'
import { createDb, sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * Decision 027 in the browser: a manager sets up a rule for referrals with two agents and weights, pauses one, and
 * a lead created with "Automático" lands on the other with the reason on its timeline; on a phone the page fits. The
 * rule only takes referrals and is deleted at the end, so other specs' leads are not distributed.
 */
describe('lead distribution', () => {
  it('rule with weights → pause → Automático lead → reason on the timeline', async () => {
    const tag = Date.now().toString(36)
    const name = `Indicações ${tag}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 1280 })
    await open(page, '/app/settings')
    await page.getByRole('link', { name: 'Distribuição de leads' }).click()
    await page.waitForURL(/\/app\/settings\/distribution$/)

    // A rule for referrals: Bruno ×2 and Carla.
    await page.getByRole('button', { name: 'Nova regra' }).first().click()
    const dialog = page.getByRole('dialog')
    // Saving with nobody chosen is refused in place.
    await dialog.getByLabel('Nome').fill(name)
    await dialog.getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => dialog.getByText('Escolha pelo menos um membro.').count()).toBe(1)
    await dialog.getByLabel('Indicação').check()
    await dialog.getByRole('checkbox', { name: /Bruno Lima/ }).check()
    await dialog.getByLabel('Peso de Bruno Lima').fill('2')
    await dialog.getByRole('checkbox', { name: /Carla Mendes/ }).check()
    await dialog.getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    const rule = page.getByTestId('distribution-rules').getByRole('listitem').filter({ hasText: name })
    await expect.poll(() => rule.count()).toBe(1)
    expect(await rule.textContent()).toContain('Bruno Lima ×2')
    expect(await rule.textContent()).toContain('Indicação')

    // Bruno goes on vacation.
    const bruno = page.getByTestId('distribution-team').getByRole('form', { name: 'Bruno Lima' })
    await bruno.getByLabel('Pausado').check()
    await bruno.getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => page.getByText('Salvo', { exact: true }).count()).toBeGreaterThan(0)

    // A referral with "Automático": Carla gets it, and the lead says why.
    const digits = String(Date.now()).slice(-8)
    await open(page, '/app/leads/new')
    expect(await page.getByLabel('Responsável').innerText()).toBe('Automático (regras de distribuição)')
    expect(await page.locator('input[name=assignedTo]').inputValue()).toBe('auto')
    await page.getByLabel('Nome').fill(`Indicado ${tag}`)
    await page.getByLabel('Telefones').fill(`(11) 9${digits.slice(0, 4)}-${digits.slice(4)}`)
    await page.getByLabel('Origem', { exact: true }).selectOption('referral')
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
    await expect.poll(() => page.getByText(`distribuição: regra “${name}” → Carla Mendes`).count()).toBe(1)

    // On a phone the settings page fits the screen.
    await page.setViewportSize({ width: 375, height: 800 })
    await open(page, '/app/settings/distribution')
    await page.getByTestId('distribution-rules').waitFor()
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)

    // Carla goes on vacation from her own profile, on her phone; the manager's page shows it.
    const carla = await signedIn(browser, 'carla.mendes@horizonte.demo', { width: 375 })
    await open(carla, '/profile')
    await carla.getByLabel('Pausar novos leads para mim (férias, folga)').check()
    await carla.getByRole('button', { name: 'Salvar' }).last().click()
    await expect.poll(() => carla.getByText('Salvo', { exact: true }).count()).toBeGreaterThan(0)
    await carla.setViewportSize({ width: 375, height: 800 })
    expect(await fitsPhone(carla)).toBeLessThanOrEqual(375)
    await page.reload()
    const carlaRow = page.getByTestId('distribution-team').getByRole('form', { name: 'Carla Mendes' })
    expect(await carlaRow.getByLabel('Pausado').isChecked()).toBe(true)
    await carla.getByLabel('Pausar novos leads para mim (férias, folga)').uncheck()
    await carla.getByRole('button', { name: 'Salvar' }).last().click()
    await expect
      .poll(async () => {
        await page.reload()
        return carlaRow.getByLabel('Pausado').isChecked()
      })
      .toBe(false)
    await carla.context().close()

    // Clean up: Bruno back, the rule gone (after a confirmation).
    await page.setViewportSize({ width: 1280, height: 800 })
    await bruno.getByLabel('Pausado').uncheck()
    await bruno.getByRole('button', { name: 'Salvar' }).click()
    page.once('dialog', (d) => void d.accept())
    await rule.getByRole('button', { name: `Excluir ${name}` }).click()
    await expect.poll(() => rule.count()).toBe(0)
  })

  it('a WhatsApp lead reaches the rule’s agent, and moves on when the first-contact SLA is missed', async () => {
    const tag = Date.now().toString(36)
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    const trpc = async (path: string, data: unknown) => {
      const res = await page.request.post(`/api/trpc/${path}`, { data })
      expect(res.status()).toBe(200)
      return ((await res.json()) as { result: { data: unknown } }).result.data
    }
    const setup = (await (await page.request.get('/api/trpc/distribution.get')).json()) as {
      result: { data: { team: { userId: string; name: string }[] } }
    }
    const id = (name: string) => setup.result.data.team.find((m) => m.name === name)!.userId
    const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
    const rule = (await trpc('distribution.saveRule', {
      name: `WhatsApp ${tag}`,
      sources: ['whatsapp'],
      members: [
        { userId: id('Bruno Lima'), weight: 1 },
        { userId: id('Carla Mendes'), weight: 1 },
      ],
    })) as { id: string }
    try {
      await trpc('distribution.saveSettings', { listingAgent: true, slaMinutes: 15 })
      await open(page, '/app/settings/whatsapp')
      const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
        await page.getByTestId('whatsapp-accounts').innerText(),
      )![1]!
      const digits = String(Date.now()).slice(-8)
      await trpc('whatsapp.sandboxInject', {
        accountId,
        from: `+55 21 9${digits}`,
        name: `Contato SLA ${tag}`,
        text: 'Oi, vi o anúncio!',
      })
      // The worker ingests the message and the rule gives the new lead to one of the two.
      const leadOf = async () =>
        (
          await owner.db.execute<{ id: string; assigned_to: string | null }>(
            sql`select id, assigned_to from leads where name = ${`Contato SLA ${tag}`}`,
          )
        )[0]
      await expect.poll(async () => (await leadOf())?.assigned_to ?? null).not.toBeNull()
      const lead = (await leadOf())!
      const first = lead.assigned_to === id('Bruno Lima') ? 'Bruno Lima' : 'Carla Mendes'
      const second = first === 'Bruno Lima' ? 'Carla Mendes' : 'Bruno Lima'
      await open(page, `/app/leads/${lead.id}`)
      await expect.poll(() => page.getByText(`distribuição: regra “WhatsApp ${tag}” → ${first}`).count()).toBe(1)
      // The header says when the first contact is due and whose it is meanwhile.
      expect(await page.getByTestId('first-contact-due').innerText()).toContain(`(${first})`)
      expect(await fitsPhone(page)).toBeLessThanOrEqual(375)

      // Nobody answers: the deadline passes (moved into the past here) and the worker's sweep moves it on.
      await owner.db.execute(
        sql`update lead_assignments set due_at = now() - interval '1 minute' where lead_id = ${lead.id} and ended_at is null`,
      )
      await owner.db.execute(sql`select graphile_worker.add_job('distribution:sla', '{}'::json)`)
      await expect
        .poll(async () => {
          await page.reload()
          return page.getByText(`distribuição: sem contato em 15 min → ${second}`).count()
        })
        .toBe(1)
    } finally {
      await trpc('distribution.deleteRule', { id: rule.id })
      await trpc('distribution.saveSettings', { listingAgent: true, slaMinutes: null })
      await owner.close()
    }
  })
  it('first to claim: the rule offers a referral to Bruno and Carla; Bruno claims it on his phone from "Hoje"', async () => {
    const tag = Date.now().toString(36)
    const name = `Plantão ${tag}`
    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 1280 })
    await open(page, '/app/settings/distribution')
    await page.getByRole('button', { name: 'Nova regra' }).first().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Nome').fill(name)
    await dialog.getByLabel('Indicação').check()
    await dialog.getByLabel('Como entregar').selectOption('claim')
    await dialog.getByLabel('Prazo para pegar (minutos)').fill('30')
    await dialog.getByRole('checkbox', { name: /Bruno Lima/ }).check()
    await dialog.getByRole('checkbox', { name: /Carla Mendes/ }).check()
    await dialog.getByRole('button', { name: 'Salvar' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    const rule = page.getByTestId('distribution-rules').getByRole('listitem').filter({ hasText: name })
    await expect.poll(() => rule.count()).toBe(1)
    expect(await rule.textContent()).toContain('Quem pegar primeiro · 30 min')
    try {
      // A referral with "Automático": nobody owns it yet, the timeline says it was offered.
      const digits = String(Date.now()).slice(-8)
      await open(page, '/app/leads/new')
      await page.getByLabel('Nome').fill(`Oferecido ${tag}`)
      await page.getByLabel('Telefones').fill(`(11) 9${digits.slice(0, 4)}-${digits.slice(4)}`)
      await page.getByLabel('Origem', { exact: true }).selectOption('referral')
      await page.getByRole('button', { name: 'Salvar lead' }).click()
      await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
      await expect
        .poll(() => page.getByText(`oferecido a 2 corretor(es) pela regra “${name}”`, { exact: false }).count())
        .toBe(1)
      const leadPath = new URL(page.url()).pathname

      // Bruno, on his phone: the offer is on "Hoje"; "Pegar" opens the lead, now his.
      const bruno = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 375 })
      await open(bruno, '/app/today')
      const offer = bruno.getByTestId('lead-offer').filter({ hasText: `Oferecido ${tag}` })
      await expect.poll(() => offer.count()).toBe(1)
      expect(await offer.innerText()).toMatch(new RegExp(`${name} · até \\d{2}:\\d{2}`))
      expect(await fitsPhone(bruno)).toBeLessThanOrEqual(375)
      await offer.getByRole('button', { name: `Pegar Oferecido ${tag}` }).click()
      await bruno.waitForURL((u) => u.pathname === leadPath)
      await expect
        .poll(() => bruno.getByText(`distribuição: Bruno Lima pegou primeiro (regra “${name}”)`).count())
        .toBe(1)
      expect(bruno.errors).toEqual([])
      await bruno.context().close()

      // Carla was too late: the offer left her "Hoje".
      const carla = await signedIn(browser, 'carla.mendes@horizonte.demo', { width: 375 })
      await open(carla, '/app/today')
      await carla.getByTestId('agenda-summary').waitFor()
      expect(
        await carla
          .getByTestId('lead-offer')
          .filter({ hasText: `Oferecido ${tag}` })
          .count(),
      ).toBe(0)
      await carla.context().close()
    } finally {
      page.once('dialog', (d) => void d.accept())
      await open(page, '/app/settings/distribution')
      await rule.getByRole('button', { name: `Excluir ${name}` }).click()
      await expect.poll(() => rule.count()).toBe(0)
    }
  })
})
