import type { Browser, Page } from 'playwright-core'
import { createDb, sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, pick, signedIn as signInAs } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const signedIn = (email: string, width?: number) => signInAs(browser, email, { width })

async function count(page: Page) {
  const badge = page.getByTestId('notification-count')
  return (await badge.count()) ? Number(await badge.innerText()) : 0
}

describe('dashboard, reports and notifications in the browser', () => {
  it('the dashboard renders the seed: figures, charts with text equivalents, attention, activity; a manager narrows to one agent', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    expect(await page.getByTestId('dashboard-scope').innerText()).toBe('Números de toda a imobiliária')
    expect(
      Number((await page.getByTestId('kpi-newLeads').getByTestId('kpi-value').innerText()).replace(/\D/g, '')),
    ).toBeGreaterThan(0)
    await expect.poll(() => page.locator('figure svg.recharts-surface').count()).toBeGreaterThanOrEqual(3)
    expect(await page.locator('figure table caption').allInnerTexts()).toEqual([
      'Funil (leads do período)',
      'Novos leads por origem',
      'Novos leads por dia',
    ])
    expect(await page.getByTestId('activity-feed').locator('li').count()).toBeGreaterThan(0)
    // "Ver todos" opens the list filtered by the same rule, with as many as the dashboard counted.
    const leadsNeedingAttention = page.getByTestId('attention-leads')
    const counted = (await leadsNeedingAttention.locator('h3 span').innerText()).replace(/\D/g, '')
    expect(Number(counted)).toBeGreaterThan(0)
    await leadsNeedingAttention.getByRole('link', { name: /^Ver todos/ }).click()
    await page.waitForURL(/\/app\/leads\?overdue=true/)
    await expect.poll(() => page.getByTestId('list-total').innerText()).toBe(`${counted} leads`)
    await open(page, '/app')
    await pick(page, page.getByRole('combobox', { name: 'Membro' }), 'Bruno Lima')
    await page.locator('select[name=period]').selectOption('7d')
    await page.getByRole('button', { name: 'Aplicar' }).click()
    await page.waitForURL(/period=7d/)
    await expect.poll(() => page.getByTestId('dashboard-scope').innerText()).toBe('Números de Bruno Lima')
    expect((page as Page & { errors: string[] }).errors).toEqual([])
  })

  it('an agent sees only their own figures, and the page works at 375 px', async () => {
    const page = await signedIn('bruno.lima@horizonte.demo', 375)
    expect(await page.getByTestId('dashboard-scope').innerText()).toBe('Seus números')
    expect(await page.locator('select[name=agentId]').count()).toBe(0)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
  })

  it('an inbound WhatsApp message raises a notification and the bell count live, and the tab title shows it', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/settings/whatsapp')
    const accountId = /webhooks\/whatsapp\/([0-9a-f-]{36})/.exec(
      await page.getByTestId('whatsapp-accounts').innerText(),
    )![1]!
    await page.goto('/app')
    await page.getByTestId('notification-bell').waitFor()
    // Let the socket connect before the message arrives (a reconnect would also catch up, but this tests the live path).
    await page.locator('html[data-live]').waitFor({ state: 'attached' })
    const before = await count(page)
    // A contact nobody owns yet writes in: through the sandbox injection (stored event → worker → NOTIFY), as the panel does.
    const res = await page.request.post('/api/trpc/whatsapp.sandboxInject', {
      data: { accountId, from: '+351 912 345 678', name: 'Paula Sino', text: 'Oi! Ainda está disponível?' },
    })
    expect(res.status()).toBe(200)
    // At least this one: a sweep may notify Ana of something else meanwhile (a CI run saw two).
    await expect.poll(() => count(page), { timeout: 15_000 }).toBeGreaterThan(before)
    const after = await count(page)
    await expect.poll(() => page.title()).toMatch(new RegExp(`^\\(${after}\\) `))
    await page.getByTestId('notification-bell').click()
    const item = page.getByTestId('notification-list').getByRole('menuitem').filter({ hasText: 'Paula Sino' })
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.innerText()).toContain('Oi! Ainda está disponível?')
    await item.click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    await expect.poll(() => count(page)).toBe(after - 1)
    // After a reload the notification is still there, read.
    await page.reload()
    await page.getByTestId('notification-bell').click()
    await expect
      .poll(() => page.getByTestId('notification-list').getByRole('menuitem').filter({ hasText: 'Paula Sino' }).count())
      .toBe(1)
  })

  it('the bell shows older notifications on request, past a page of ones raised at the same instant', async () => {
    // 45 read notifications a sweep could raise in one transaction (one timestamp), older than anything else of Ana's.
    const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
    try {
      await owner.db.execute(sql`
        insert into notifications (agency_id, user_id, kind, entity, entity_id, data, read_at, created_at, updated_at)
        select m.agency_id, m.user_id, 'lead_waiting', 'lead', gen_random_uuid(), jsonb_build_object('name', 'Lead antigo ' || lpad(i::text, 2, '0'), 'hours', 48), now(), '2025-01-10T12:00:00Z', '2025-01-10T12:00:00Z'
        from memberships m join users u on u.id = m.user_id, generate_series(1, 45) i
        where u.email = 'ana.souza@horizonte.demo'`)
    } finally {
      await owner.close()
    }
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.getByTestId('notification-bell').click()
    const old = page.getByTestId('notification-list').getByRole('menuitem').filter({ hasText: 'Lead antigo' })
    await page.getByTestId('notification-more').waitFor()
    const firstPage = await old.count()
    expect(firstPage).toBeLessThan(45)
    // Keyboard: the item is reachable and Enter keeps the menu open with the older ones below.
    await page.getByTestId('notification-more').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => old.count()).toBeGreaterThan(firstPage)
    const more = page.getByTestId('notification-more')
    while (await more.count()) {
      const shown = await old.count()
      await more.click()
      await expect.poll(async () => (await old.count()) > shown || (await more.count()) === 0).toBe(true)
    }
    const names = await old.allInnerTexts()
    expect(new Set(names.map((n) => /Lead antigo (\d+)/.exec(n)![1])).size).toBe(45)
  })

  it('reports render, and a CSV export downloads with a BOM, the header in Portuguese and one line per row', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/reports?period=30d')
    const sources = page.getByTestId('report-sources')
    const rows = await sources.locator('tbody tr').count()
    expect(rows).toBeGreaterThan(0)
    const [download] = await Promise.all([page.waitForEvent('download'), sources.getByTestId('csv-export').click()])
    expect(download.suggestedFilename()).toMatch(/^origem-dos-leads-\d{4}-\d{2}-\d{2}\.csv$/)
    const chunks: Buffer[] = []
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer)
    const bytes = Buffer.concat(chunks)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('Origem;Leads;Participação (%);Contatados (%);Convertidos (%);Mediana até o 1º contato (min)')
    expect(lines).toHaveLength(rows + 1)
    // The separator option.
    await page.getByTestId('csv-separator').selectOption(',')
    expect(await sources.getByTestId('csv-export').getAttribute('href')).toContain('sep=%2C')
  })

  it('a malformed or unknown member in the link is ignored with a message; another member’s figures are refused to an agent (403)', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
    const [ana] = await owner.db
      .execute<{ id: string }>(sql`select id from users where email = 'ana.souza@horizonte.demo'`)
      .finally(() => owner.close())
    const anaId = ana!.id
    for (const path of [
      '/app?agentId=abc',
      '/app/reports?agentId=abc',
      '/app?period=7d&agentId=6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b',
    ]) {
      const res = await page.goto(path)
      expect(res?.status()).toBe(200)
      await page.getByText('O filtro de membro do link foi ignorado').waitFor()
    }
    // Only the refused filter went: the period stayed.
    expect(await page.locator('select[name=period]').inputValue()).toBe('7d')
    expect(await page.getByTestId('dashboard-scope').innerText()).toBe('Números de toda a imobiliária')
    const agent = await signedIn('bruno.lima@horizonte.demo')
    for (const path of [`/app?agentId=${anaId}`, `/app/reports?agentId=${anaId}`])
      expect((await agent.goto(path))?.status()).toBe(403)
    expect((await agent.goto('/app?agentId=abc'))?.status()).toBe(200)
  })

  it('a bad custom period says why and falls back instead of failing', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/reports?period=custom&from=2026-05-10&to=2026-05-01')
    await expect.poll(() => page.getByText('Deve ser igual ou posterior à data inicial.').count()).toBe(1)
    const res = await page.request.get('/app/reports.csv?report=sources&period=custom&from=2026-05-10&to=2026-05-01')
    expect(res.status()).toBe(400)
    expect(await res.text()).toBe('Deve ser igual ou posterior à data inicial.')
  })
})

describe('global search in the browser', () => {
  it('Ctrl+K opens the palette; an accent-less name finds the lead; arrows and Enter open it', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await page.goto('/app/leads')
    const link = page.getByTestId('lead-row').first().getByRole('link').first()
    const name = (await link.innerText()).trim()
    const href = await link.getAttribute('href')
    const plain = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    await page.keyboard.press('Control+k')
    await page.getByTestId('search-input').fill(plain)
    const group = page.getByTestId('search-group-leads')
    await expect
      .poll(() => group.getByTestId('search-hit').allInnerTexts(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining(name))
    // The first hit is selected; Enter opens it (the best match comes first).
    const hits = await group.getByTestId('search-hit').allInnerTexts()
    for (let i = 0; i < hits.findIndex((h) => h.includes(name)); i++) await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === href)
  })
})
