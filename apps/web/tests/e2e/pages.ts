import type { Page, Response } from 'playwright-core'

/**
 * Resolves once React has hydrated the page (the shell marks <html data-hydrated>). A click, a select or a keypress
 * before that reaches plain HTML, not the app: on a busy machine hydration can finish well after the load event.
 */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' })
}

/** Opens a page of the app and waits until it is live. */
export async function open(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path)
  await hydrated(page)
  return response
}
