import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** Whether the element is the focused one. */
const focused = (el: Locator) => el.evaluate((node) => node === document.activeElement)

/** Opens a dialog from the keyboard, closes it with Escape, and waits until it is gone. */
async function openAndEscape(page: Page, trigger: Locator, press = 'Enter') {
  await trigger.focus()
  await page.keyboard.press(press)
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
}

/**
 * Issue 18's keyboard bar: after a dialog closes, focus is back where it was — on what opened it — so a keyboard user
 * goes on from there instead of from the top of the page. One case per way a dialog opens: its own trigger, a button
 * that opens a controlled dialog, an item of a menu, and the phone's navigation sheet.
 */
describe('focus after a dialog', () => {
  it('returns to the trigger: a dialog trigger, a controlled dialog, a menu item, the phone menu', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')

    await open(page, '/app/members')
    const invite = page.getByRole('button', { name: 'Convidar membro' })
    await openAndEscape(page, invite)
    await expect.poll(() => focused(invite)).toBe(true)

    const search = page.getByTestId('search-open')
    await openAndEscape(page, search)
    await expect.poll(() => focused(search)).toBe(true)

    // A menu item that opens a dialog: focus comes back to the menu's button, not to the page's top.
    await open(page, '/app/leads')
    const views = page.getByTestId('views-menu')
    await views.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('menuitem', { name: 'Salvar como nova visão…' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => focused(views)).toBe(true)
    expect(page.errors).toEqual([])
    await page.close()

    const phone = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 375 })
    await open(phone, '/app/today')
    const more = phone.getByRole('button', { name: 'Mais', exact: true })
    await openAndEscape(phone, more)
    await expect.poll(() => focused(more)).toBe(true)
    expect(phone.errors).toEqual([])
    await phone.close()
  })
})
