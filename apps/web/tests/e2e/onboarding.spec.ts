import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Issue 18's first steps on a manager's home page: what the agency has done (the demo agency has a team, WhatsApp,
 * leads and properties, but no distribution rules yet), the next step's hint and link, and "Ocultar" for good. Agents
 * never see it.
 */
describe('first steps on the home page', () => {
  it('shows a manager the progress and the next step, links to it, and goes when put away', async () => {
    const agent = await signedIn(browser, 'carla.mendes@horizonte.demo', { width: 375 })
    await open(agent, '/app')
    expect(await agent.getByTestId('onboarding').count()).toBe(0)
    await agent.context().close()

    const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    await open(page, '/app')
    const card = page.getByTestId('onboarding')
    await card.waitFor()
    expect(await card.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('4 de 5 concluídos')
    const steps = card.getByTestId('onboarding-step')
    expect(await steps.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-done')))).toEqual([
      'true',
      'true',
      'true',
      'true',
      'false',
    ])
    const next = steps.last()
    expect(await next.innerText()).toContain('Quem recebe cada lead novo')
    await next.getByRole('link').click()
    await page.waitForURL(/\/app\/settings\/distribution$/)

    await open(page, '/app')
    await card.getByRole('button', { name: 'Ocultar' }).click()
    await card.waitFor({ state: 'detached' })
    await open(page, '/app')
    expect(await page.getByTestId('onboarding').count()).toBe(0)
  })
})
