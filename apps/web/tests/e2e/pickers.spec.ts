import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, pick, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** Issue 18: assignee pickers with search and initials instead of a native list of names. */
describe('person picker', () => {
  it('searches names without accents or case, works from the keyboard, and posts the choice', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/leads/new')
    const field = page.getByLabel('Responsável')
    expect(await field.getAttribute('role')).toBe('combobox')
    const items = page.locator('[cmdk-list] [role=option]')
    const search = page.locator('[cmdk-input]')
    const active = () => page.evaluate(() => document.activeElement?.getAttribute('cmdk-input') !== null)

    // Arrow down opens it with the search focused; Escape closes it and gives focus back, nothing chosen.
    await field.focus()
    await page.keyboard.press('ArrowDown')
    await search.waitFor()
    await expect.poll(active).toBe(true)
    expect(await field.getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.type('ÁNA')
    await expect.poll(() => items.allInnerTexts()).toEqual([expect.stringMatching(/^AS\s*Ana Souza/)])
    await page.keyboard.press('Escape')
    await search.waitFor({ state: 'detached' })
    // Focus comes back as the popover unmounts, a moment after its content leaves the page.
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await page.locator('input[name=assignedTo]').inputValue()).toBe('auto')

    // Nobody by that name says so; a surname finds its person; Enter chooses.
    await page.keyboard.press('Enter')
    await search.waitFor()
    await page.keyboard.type('zzzz')
    await page.getByText('Ninguém com esse nome.').waitFor()
    await search.fill('mendes')
    await expect.poll(() => items.count()).toBe(1)
    await page.keyboard.press('Enter')
    await search.waitFor({ state: 'detached' })
    expect(await field.innerText()).toContain('Carla Mendes')
    expect(await page.locator('input[name=assignedTo]').inputValue()).toMatch(/^[0-9a-f-]{36}$/)

    await page.getByLabel('Nome').fill('Lead Do Seletor')
    await page.getByLabel('Telefones').fill('11 95432-4444')
    await page.getByRole('button', { name: 'Salvar lead' }).click()
    await page.getByTestId('lead-name').waitFor()
    const inline = page.getByRole('combobox', { name: 'Responsável' })
    expect(await inline.innerText()).toContain('Carla Mendes')
    // The manager hands it over from the lead's page; it holds after a reload.
    await pick(page, inline, 'Bruno Lima')
    await expect.poll(() => inline.innerText()).toContain('Bruno Lima')
    await page.reload()
    expect(await page.getByRole('combobox', { name: 'Responsável' }).innerText()).toContain('Bruno Lima')
    expect(page.errors).toEqual([])
  })

  it('assigns a conversation from its header, and the choice holds after a reload', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/inbox')
    await page.getByTestId('conversation-item').first().click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    const field = page.getByRole('combobox', { name: 'Responsável' })
    const other = (await field.innerText()).includes('Bruno Lima') ? 'Carla Mendes' : 'Bruno Lima'
    await pick(page, field, other)
    await expect.poll(() => field.innerText()).toContain(other)
    await page.reload()
    await expect.poll(() => page.getByRole('combobox', { name: 'Responsável' }).innerText()).toContain(other)
    expect(page.errors).toEqual([])
  })

  it('filters a list by one person, and the dashboard by one member', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await open(page, '/app/leads?cols=assignee')
    await pick(page, page.getByRole('combobox', { name: 'Responsável' }), 'Bruno Lima')
    await page.getByRole('button', { name: 'Filtrar', exact: true }).click()
    await page.waitForURL(/assignee=[0-9a-f-]{36}/)
    // The address changes before the list does: wait for the list itself to be Bruno's alone.
    const rows = page.getByTestId('lead-row')
    await expect
      .poll(async () => {
        const texts = await rows.allInnerTexts()
        return texts.length > 0 && texts.every((text) => text.includes('Bruno Lima'))
      })
      .toBe(true)
    // The choice is kept in the address and shown again.
    expect(await page.getByRole('combobox', { name: 'Responsável' }).innerText()).toContain('Bruno Lima')

    await open(page, '/app/today')
    await pick(page, page.getByRole('combobox', { name: 'Agenda de quem' }), 'Carla Mendes')
    await page.waitForURL(/who=[0-9a-f-]{36}/)
    expect(page.errors).toEqual([])
  })
})
