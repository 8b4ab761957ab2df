import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inviteAgent, launchBrowser, login, newPage } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

async function signedIn(email: string, password?: string): Promise<Page> {
  const page = await newPage(browser)
  await login(page, email, password)
  await page.waitForURL(/\/app$/)
  return page
}

async function createLead(page: Page, name: string, phone: string, assignee?: string) {
  await page.goto('/app/leads/new')
  await page.getByLabel('Nome').fill(name)
  await page.getByLabel('Telefones').fill(phone)
  await page.getByLabel('Origem', { exact: true }).selectOption('portal')
  if (assignee) await page.getByLabel('Responsável').selectOption({ label: assignee })
  await page.getByLabel('Orçamento de').fill('450.000,00')
  await page.getByRole('button', { name: 'Salvar lead' }).click()
  await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}\?created=1$/)
  return page.url().split('/').pop()!.split('?')[0]!
}

describe('leads in the browser', () => {
  it('creates a lead, moves it through the board, and marks it lost with a reason', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(page, 'Gustavo Teste Quadro', '11 93456-7812')
    await expect.poll(() => page.getByTestId('lead-name').innerText()).toBe('Gustavo Teste Quadro')
    expect(await page.getByText('R$ 450.000').count()).toBe(1)

    await page.goto('/app/leads/board')
    const card = () => page.locator(`[data-lead-id="${id}"]`)
    const columnOf = async () => (await card().locator('xpath=ancestor::section').getAttribute('data-testid')) ?? ''
    expect(await columnOf()).toBe('column-new')
    // Drag and drop to "Contatado".
    await card().dragTo(page.getByTestId('column-contacted'), { sourcePosition: { x: 6, y: 6 }, targetPosition: { x: 20, y: 12 } })
    await expect.poll(columnOf).toBe('column-contacted')
    await expect.poll(() => page.getByText('Movido para Contatado.').count()).toBeGreaterThan(0)
    // Keyboard alternative on the card.
    await card().getByRole('combobox').selectOption('qualified')
    await expect.poll(columnOf).toBe('column-qualified')
    // Lost needs a reason.
    await card().getByRole('combobox').selectOption('lost')
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Marcar como perdido' }).click()
    await expect.poll(() => dialog.getByText('Escolha o motivo da perda.').count()).toBe(1)
    await dialog.getByLabel('Motivo').selectOption('budget')
    await dialog.getByLabel('Detalhes (opcional)').fill('Acima do orçamento')
    await dialog.getByRole('button', { name: 'Marcar como perdido' }).click()
    await expect.poll(columnOf).toBe('column-lost')

    // The move survived a reload and is on the timeline.
    await page.goto(`/app/leads/${id}`)
    await expect.poll(() => page.getByRole('alert').first().innerText()).toContain('Orçamento')
    const timeline = await page.getByTestId('timeline').innerText()
    expect(timeline).toContain('moveu de Novo para Contatado')
    expect(timeline).toContain('moveu de Contatado para Qualificado')
    expect(timeline).toContain('moveu de Qualificado para Perdido (Orçamento)')
  })

  it('rolls a failed move back and says why', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(page, 'Lead Que Some', '11 94321-0987')
    await page.goto('/app/leads/board')
    const card = page.locator(`[data-lead-id="${id}"]`)
    // Someone else deletes it while the board is open.
    const other = await signedIn('ana.souza@horizonte.demo')
    other.on('dialog', (d) => void d.accept())
    await other.goto(`/app/leads/${id}`)
    await other.getByRole('button', { name: 'Mover para a lixeira' }).click()
    await other.waitForURL(/deleted=1$/)
    await card.getByRole('combobox').selectOption('contacted')
    await expect.poll(() => page.getByText('Não foi possível mover o lead').count()).toBeGreaterThan(0)
    expect(await card.locator('xpath=ancestor::section').getAttribute('data-testid')).toBe('column-new')
  })

  it('warns about a duplicate (9th digit ignored) and links to the existing lead', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    await createLead(page, 'Original Duplicado', '11 97123-4567')
    await page.goto('/app/leads/new')
    await page.getByLabel('Nome').fill('Cópia Duplicada')
    await page.getByLabel('Telefones').fill('(11) 7123-4567')
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    const warning = page.getByTestId('duplicate-warning')
    await expect.poll(() => warning.count()).toBe(1)
    await warning.getByRole('link', { name: 'Abrir Original Duplicado' }).click()
    await expect.poll(() => page.getByTestId('lead-name').innerText()).toBe('Original Duplicado')
  })

  it('an agent does not see another agent’s lead', async () => {
    const manager = await signedIn('ana.souza@horizonte.demo')
    await inviteAgent(browser, manager, 'agente.exclusivo@horizonte.demo', 'Agente Exclusivo', 'senha do agente exclusivo')
    const id = await createLead(manager, 'Lead Exclusivo', '11 96543-2109', 'Agente Exclusivo')
    const bruno = await signedIn('bruno.lima@horizonte.demo')
    await bruno.goto('/app/leads?q=Exclusivo')
    await expect.poll(() => bruno.getByText('Nenhum lead com esses filtros.').count()).toBe(1)
    const direct = await bruno.goto(`/app/leads/${id}`)
    expect(direct?.status()).toBe(404)
    const owner = await signedIn('agente.exclusivo@horizonte.demo', 'senha do agente exclusivo')
    await owner.goto('/app/leads?q=Exclusivo')
    await expect.poll(() => owner.getByTestId('lead-row').count()).toBe(1)
  })

  it('a manager deletes a lead to the trash and restores it', async () => {
    const page = await signedIn('ana.souza@horizonte.demo')
    const id = await createLead(page, 'Lead Para Lixeira', '11 95432-1098')
    page.on('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Mover para a lixeira' }).click()
    await page.waitForURL(/\/app\/leads\?deleted=1$/)
    await page.goto('/app/leads/trash')
    const row = page.getByTestId('trash-row').filter({ hasText: 'Lead Para Lixeira' })
    await row.getByRole('button', { name: 'Restaurar' }).click()
    await expect.poll(() => row.count()).toBe(0)
    await page.goto(`/app/leads/${id}`)
    await expect.poll(() => page.getByTestId('lead-name').innerText()).toBe('Lead Para Lixeira')
  })
})
