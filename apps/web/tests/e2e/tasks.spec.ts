import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** Today's date in São Paulo (the demo agency's zone), as the date input takes it. */
function todayInSaoPaulo(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date())
}

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * Decision 025 end to end, on a phone: an agent plans a call and a visit from the lead page, starts the day on "Hoje",
 * ticks the call off, tells how the visit went, and subscribes to the agenda from a calendar app; the manager sees it
 * on the whole agency's agenda.
 */
describe("the agent's day", () => {
  it('lead page → task and visit → Hoje → done → visit outcome → calendar feed', async () => {
    const tag = Date.now().toString(36)
    const digits = String(Date.now()).slice(-8)
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 375 })
    await open(page, '/app/leads/new')
    await page.getByLabel('Nome').fill(`Lead da agenda ${tag}`)
    await page.getByLabel('Telefones').fill(`(11) 9${digits.slice(0, 4)}-${digits.slice(4)}`)
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    await page.waitForURL(/\/app\/leads\/[0-9a-f-]{36}(\?created=1)?$/)
    await page.getByTestId('lead-name').waitFor()

    // A call for today, from the lead page: the title suggests itself from the kind and the lead.
    const tasks = page.getByTestId('record-tasks')
    await tasks.getByRole('button', { name: 'Nova tarefa' }).click()
    const form = page.getByTestId('task-form')
    expect(await form.getByLabel('Título').inputValue()).toBe(`Ligação — Lead da agenda ${tag}`)
    await form.getByLabel('Data').fill(todayInSaoPaulo())
    await form.getByLabel('Hora').fill('00:01')
    await form.getByRole('button', { name: 'Criar tarefa' }).click()
    await expect.poll(() => tasks.getByTestId('task').count()).toBe(1)
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)

    // A visit without a property is refused in place, then scheduled with one.
    await tasks.getByRole('button', { name: 'Agendar visita' }).click()
    await form.getByLabel('Data').fill(todayInSaoPaulo())
    await form.getByLabel('Hora').fill('00:02')
    await form.getByLabel('Local de encontro').fill('Portaria do prédio')
    await form.getByRole('button', { name: 'Agendar visita' }).click()
    await expect.poll(() => form.getByText('Adicione ao menos um imóvel a mostrar.').count()).toBe(1)
    await form.getByPlaceholder('Adicionar imóvel (código ou título)…').fill('a')
    await page.getByTestId('picker-item').first().click()
    await form.getByRole('button', { name: 'Agendar visita' }).click()
    await expect.poll(() => tasks.getByTestId('task').count()).toBe(2)

    // Hoje: the call is in today's list with a one-tap call link.
    await open(page, '/app/today')
    const call = page.getByTestId('task').filter({ hasText: `Ligação — Lead da agenda ${tag}` })
    await expect.poll(() => call.count()).toBe(1)
    expect(await call.getByRole('link', { name: `Ligar para Lead da agenda ${tag}` }).getAttribute('href')).toMatch(
      /^tel:\+55/,
    )
    expect(await fitsPhone(page)).toBeLessThanOrEqual(375)
    await call.getByRole('checkbox').click()
    await expect.poll(() => call.getAttribute('data-status')).toBe('done')
    await page.reload()
    await expect.poll(() => call.getAttribute('data-status')).toBe('done')

    // The visit: how it went, and the lead's interest in the property shown.
    const visit = page.getByTestId('task').filter({ hasText: `Visita — Lead da agenda ${tag}` })
    await expect.poll(() => visit.count()).toBe(1)
    await visit.getByRole('checkbox').click()
    await page.getByLabel('Interesse').selectOption('high')
    await page.getByLabel('O que o cliente disse').fill('Gostou muito da vista')
    await page.getByRole('button', { name: 'Salvar', exact: true }).click()
    await expect.poll(() => visit.getByText('Visita realizada').count()).toBe(1)
    expect(await visit.getAttribute('data-status')).toBe('done')

    // A private calendar address, which calendar apps read as iCalendar.
    await page.getByRole('button', { name: 'Criar meu endereço de calendário' }).click()
    const address = page.getByLabel('Endereço do calendário')
    await address.waitFor()
    const url = await address.inputValue()
    expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{32}\.ics$/)
    const ics = await page.request.get(url)
    expect(ics.status()).toBe(200)
    expect(ics.headers()['content-type']).toContain('text/calendar')
    expect(await ics.text()).toContain(`Visita — Lead da agenda ${tag}`)

    // The dashboard's "meus compromissos de hoje".
    await open(page, '/app')
    await page.getByTestId('my-day').waitFor()
    expect(page.errors).toEqual([])
    await page.context().close()

    // The manager sees the agent's visit on the whole agency's agenda, with who does it.
    const manager = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(manager, '/app/today?who=all')
    await expect
      .poll(() =>
        manager
          .getByTestId('task')
          .filter({ hasText: `Visita — Lead da agenda ${tag}` })
          .count(),
      )
      .toBe(1)
    // And chooses the template that confirms tomorrow's visits by WhatsApp.
    await open(manager, '/app/settings/whatsapp')
    const template = manager.getByLabel('Modelo', { exact: true })
    await template.selectOption({ index: 1 })
    const chosen = await template.inputValue()
    expect(chosen).toMatch(/\|pt_BR$/)
    await manager.locator('form').filter({ has: template }).getByRole('button', { name: 'Salvar' }).click()
    await manager.getByText('Salvo').first().waitFor()
    await manager.reload()
    expect(await manager.getByLabel('Modelo', { exact: true }).inputValue()).toBe(chosen)
    expect(manager.errors).toEqual([])
    await manager.context().close()
  })

  it('the calendar: a task dragged to another day and hour stays there; the month shows it', async () => {
    const tag = Date.now().toString(36)
    const page = await signedIn(browser, 'carla.mendes@horizonte.demo')
    await open(page, '/app/today')
    await page.getByRole('button', { name: 'Nova tarefa' }).click()
    const form = page.getByTestId('task-form')
    await form.getByLabel('Título').fill(`Documento ${tag}`)
    await form.getByLabel('Data').fill(todayInSaoPaulo())
    await form.getByLabel('Hora').fill('10:00')
    await form.getByRole('button', { name: 'Criar tarefa' }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('task')
          .filter({ hasText: `Documento ${tag}` })
          .count(),
      )
      .toBe(1)

    await open(page, '/app/calendar?view=week')
    // The week is drawn twice (the grid, and a list for phones); the grid is the one on a laptop.
    const chip = page
      .getByTestId('calendar-grid')
      .getByTestId('calendar-task')
      .filter({ hasText: `Documento ${tag}` })
    expect(await chip.getAttribute('data-day')).toBe(todayInSaoPaulo())
    expect(await chip.getAttribute('data-time')).toBe('10:00')
    const days = await page.getByTestId('calendar-day').evaluateAll((els) => els.map((e) => e.getAttribute('data-day')))
    const target = days.find((d) => d !== todayInSaoPaulo())!
    // 14:00 is 8 hours below the grid's 06:00 top, at 48 px an hour.
    await chip.dragTo(page.locator(`[data-testid=calendar-day][data-day="${target}"]`), {
      targetPosition: { x: 20, y: 8 * 48 + 5 },
    })
    await expect.poll(() => chip.getAttribute('data-day')).toBe(target)
    await page.reload()
    await expect.poll(() => chip.getAttribute('data-day')).toBe(target)
    expect(await chip.getAttribute('data-time')).toBe('14:00')

    await open(page, `/app/calendar?view=month&day=${target}`)
    await expect
      .poll(() =>
        page
          .getByTestId('calendar-task')
          .filter({ hasText: `Documento ${tag}` })
          .count(),
      )
      .toBe(1)
    expect(page.errors).toEqual([])
    await page.context().close()
  })
})
