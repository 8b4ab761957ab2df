import { createDb, sql } from '@impera/db'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, pick, signedIn as signInAs } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const signedIn = (email: string, password?: string) => signInAs(browser, email, { password })

async function createLead(page: Page, name: string, phone: string, assignee?: string) {
  await open(page, '/app/leads/new')
  await page.getByLabel('Nome').fill(name)
  await page.getByLabel('Telefones').fill(phone)
  await page.getByLabel('Origem', { exact: true }).selectOption('portal')
  if (assignee) await pick(page, page.getByLabel('Responsável'), assignee)
  await page.getByLabel('Orçamento de').fill('450.000,00')
  await page.getByRole('button', { name: 'Salvar lead' }).click()
  // The lead's page says it was created, then drops the flag from the address.
  await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
  await page.getByTestId('lead-name').waitFor()
  return new URL(page.url()).pathname.split('/').pop()!
}

/** The board's card of a lead, and the column it sits in once the board shows it there. */
const cardOf = (page: Page, id: string) => page.locator(`[data-lead-id="${id}"]`)
const inColumn = (page: Page, id: string, status: string) =>
  page.getByTestId(`column-${status}`).locator(`[data-lead-id="${id}"]`).waitFor()

/** The toasts on screen saying `text` (not the screen-reader copy Radix keeps for a second). */
const toasts = (page: Page, text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text })

/** A statement as the database owner, past the app (to look at or change what the pages cannot). */
async function asOwner<T>(fn: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> {
  const owner = createDb(inject('e2e').ownerUrl, { max: 1 })
  try {
    return await fn(owner.db)
  } finally {
    await owner.close()
  }
}

const firstContactOf = (id: string) =>
  asOwner(
    async (db) =>
      (
        await db.execute<{ first_contact_at: string | null }>(sql`select first_contact_at from leads where id = ${id}`)
      )[0]!.first_contact_at,
  )

describe('leads in the browser', () => {
  it('creates a lead, moves it through the board, and marks it lost with a reason', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(page, 'Gustavo Teste Quadro', '11 93456-7812')
    expect(await page.getByTestId('lead-name').innerText()).toBe('Gustavo Teste Quadro')
    // Once in the details (the qualification card repeats the budget, as a person's slot).
    expect(await page.getByTestId('lead-details').getByText('R$ 450.000').count()).toBe(1)
    expect(await page.getByTestId('qualification-slots').getByText('R$ 450.000').count()).toBe(1)

    await open(page, '/app/leads/board')
    const card = cardOf(page, id)
    await inColumn(page, id, 'new')
    // Drag and drop to "Contatado".
    await card.dragTo(page.getByTestId('column-contacted'), {
      sourcePosition: { x: 6, y: 6 },
      targetPosition: { x: 20, y: 12 },
    })
    await inColumn(page, id, 'contacted')
    await toasts(page, 'Movido para Contatado.').waitFor()
    // The alternative to dragging: the card's "move to" menu.
    await card.getByRole('button', { name: /^Mover para/ }).click()
    await page.getByRole('menuitem', { name: 'Qualificado' }).click()
    await inColumn(page, id, 'qualified')
    // Lost needs a reason.
    await card.getByRole('button', { name: /^Mover para/ }).click()
    await page.getByRole('menuitem', { name: 'Perdido' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Marcar como perdido' }).click()
    await dialog.getByText('Escolha o motivo da perda.').waitFor()
    await dialog.getByLabel('Motivo').selectOption('budget')
    await dialog.getByLabel('Detalhes (opcional)').fill('Acima do orçamento')
    await dialog.getByRole('button', { name: 'Marcar como perdido' }).click()
    await inColumn(page, id, 'lost')

    // The move survived a reload and is on the timeline.
    await open(page, `/app/leads/${id}`)
    expect(await page.getByRole('alert').first().innerText()).toContain('Orçamento')
    const timeline = await page.getByTestId('timeline').innerText()
    expect(timeline).toContain('moveu de Novo para Contatado')
    expect(timeline).toContain('moveu de Contatado para Qualificado')
    expect(timeline).toContain('moveu de Qualificado para Perdido (Orçamento)')
  })

  it('rolls a failed move back and says why', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    // Someone else deletes the lead while the board is open: in the database, since a second browser session (a
    // sign-in and two page loads) is slow on a busy machine; the trash test below deletes through the page. Any
    // revalidation of the board after that (an agency's live event: a worker's distribution, a late creation signal)
    // rightly takes the card away before it can be moved; then the scenario starts again with a new lead.
    let id = ''
    for (let round = 0; ; round++) {
      id = await createLead(page, `Lead Que Some ${round}`, `11 94321-09${80 + round}`)
      await open(page, '/app/leads/board')
      await inColumn(page, id, 'new')
      await asOwner((db) => db.execute(sql`update leads set deleted_at = now() where id = ${id}`))
      const moved = await (async () => {
        // A revalidation landing while the menu is open re-renders the board and closes the menu: open it again
        // until the choice is made, while the card is there.
        for (let attempt = 0; attempt < 6; attempt++) {
          if (!(await cardOf(page, id).count())) return false
          const opened = await cardOf(page, id)
            .getByRole('button', { name: /^Mover para/ })
            .click({ timeout: 5_000 })
            .then(() => true)
            .catch(() => false)
          if (!opened) continue
          const chosen = await page
            .getByRole('menuitem', { name: 'Contatado' })
            .click({ timeout: 5_000 })
            .then(() => true)
            .catch(() => false)
          if (chosen) return true
        }
        return false
      })()
      if (moved) break
      if (round >= 2) throw new Error('the board never held the deleted lead long enough to move it')
    }
    // Waits on what the page shows, however long the refused request takes on a busy machine.
    await toasts(page, /^Não foi possível mover o lead/).waitFor()
    await inColumn(page, id, 'new')
  })

  it('moves a card only on an explicit choice: arrowing through its menu moves nothing', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(page, 'Lead Do Teclado', '11 94321-5566')
    await open(page, '/app/leads/board')
    await inColumn(page, id, 'new')
    const moves: string[] = []
    page.on('request', (r) => r.url().includes('leads.setStatus') && moves.push(r.url()))
    const trigger = cardOf(page, id).getByRole('button', { name: 'Mover para: Lead Do Teclado' })
    await trigger.focus()
    await page.keyboard.press('Enter')
    const menu = page.getByRole('menu')
    // Focus moves a moment after each key (the menu defers it): wait for it to land on the expected status.
    const focusOn = (name: string) => menu.locator('[role=menuitem]:focus', { hasText: name }).waitFor()
    await focusOn('Contatado')
    await page.keyboard.press('ArrowDown')
    await focusOn('Qualificado')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'detached' })
    // Browsing moved nothing and recorded no contact.
    expect(moves).toEqual([])
    await inColumn(page, id, 'new')
    expect(await firstContactOf(id)).toBeNull()
    // Choosing does: open again, arrow to "Qualificado", Enter.
    await trigger.focus()
    await page.keyboard.press('Enter')
    await focusOn('Contatado')
    await page.keyboard.press('ArrowDown')
    await focusOn('Qualificado')
    await page.keyboard.press('Enter')
    await inColumn(page, id, 'qualified')
    await toasts(page, 'Movido para Qualificado.').waitFor()
    expect(moves).toHaveLength(1)
  })

  it('says a lead was created once: not twice, and not again after a reload', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await createLead(page, 'Lead Do Aviso', '11 94321-7788')
    await toasts(page, 'Lead cadastrado.').waitFor()
    // A later toast: by the time it shows, anything pushed before it is on screen too.
    await page.getByTestId('status-select').selectOption('contacted')
    await toasts(page, /^Salvo/).waitFor()
    expect(await toasts(page, 'Lead cadastrado.').count()).toBe(1)
    // The flag left the address, so neither a reload nor coming back through history repeats it.
    expect(new URL(page.url()).search).toBe('')
    await page.reload()
    await hydrated(page)
    await page.getByTestId('status-select').selectOption('qualified')
    await toasts(page, /^Salvo/).waitFor()
    expect(await toasts(page, 'Lead cadastrado.').count()).toBe(0)
  })

  it('warns about a duplicate (9th digit ignored) and links to the existing lead', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await createLead(page, 'Original Duplicado', '11 97123-4567')
    await open(page, '/app/leads/new')
    await page.getByLabel('Nome').fill('Cópia Duplicada')
    await page.getByLabel('Telefones').fill('(11) 7123-4567')
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    const warning = page.getByTestId('duplicate-warning')
    await warning.waitFor()
    await warning.getByRole('link', { name: 'Abrir Original Duplicado' }).click()
    await page.getByTestId('lead-name').filter({ hasText: 'Original Duplicado' }).waitFor()
  })

  it('an agent does not see another agent’s lead', async () => {
    const manager = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(manager, 'Lead Exclusivo', '11 96543-2109', 'Carla Mendes')
    const bruno = await signedIn('bruno.lima@horizonte.demo')
    await bruno.goto('/app/leads?q=Exclusivo')
    await expect.poll(() => bruno.getByText('Nenhum lead com esses filtros.').count()).toBe(1)
    const direct = await bruno.goto(`/app/leads/${id}`)
    expect(direct?.status()).toBe(404)
    const owner = await signedIn('carla.mendes@horizonte.demo')
    await owner.goto('/app/leads?q=Exclusivo')
    await expect.poll(() => owner.getByTestId('lead-row').count()).toBe(1)
  })

  it('on a phone, "Ligar" and WhatsApp stay at the top while the lead’s page scrolls', async () => {
    const page = await signInAs(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await createLead(page, 'Lead no Celular', '11 94321-0987')
    const bar = page.getByTestId('contact-actions')
    expect(await bar.getByRole('link', { name: 'Ligar para (11) 94321-0987' }).getAttribute('href')).toBe(
      'tel:+5511943210987',
    )
    const start = (await bar.boundingBox())!.y
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(start)
    await expect.poll(async () => (await bar.boundingBox())!.y).toBe(0)
    expect(await bar.getByRole('button', { name: 'WhatsApp' }).isVisible()).toBe(true)
  })

  it('a manager deletes a lead to the trash and restores it', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(page, 'Lead Para Lixeira', '11 95432-1098')
    page.on('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Mover para a lixeira' }).click()
    await page.waitForURL(/\/app\/leads\?deleted=1$/)
    // Restore only once the page is live (a click on server HTML posts the form natively and reloads the page), then
    // wait for the row to leave, however long the request and the reload of the list take.
    await open(page, '/app/leads/trash')
    const row = page.getByTestId('trash-row').filter({ hasText: 'Lead Para Lixeira' })
    await row.getByRole('button', { name: 'Restaurar' }).click()
    await toasts(page, 'Lead restaurado.').waitFor()
    await row.waitFor({ state: 'detached' })
    await open(page, `/app/leads/${id}`)
    expect(await page.getByTestId('lead-name').innerText()).toBe('Lead Para Lixeira')
  })
})
