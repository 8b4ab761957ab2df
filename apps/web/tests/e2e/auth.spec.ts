import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, latestMail, launchBrowser, linkIn, login, newPage } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

describe('sign-in', () => {
  it('signs in, shows the agency and role, and signs out', async () => {
    const page = await newPage(browser)
    await login(page, 'bruno.lima@horizonte.demo')
    await page.waitForURL(/\/app$/)
    await expect.poll(() => page.getByTestId('agency-name').innerText()).toContain('Imobiliária Horizonte')
    await expect.poll(() => page.getByTestId('my-role').innerText()).toBe('Corretor')
    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: 'Sair' }).click()
    await page.waitForURL(/\/login\?notice=logged_out$/)
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Você saiu')
    await page.goto('/app')
    await page.waitForURL(/\/login\?redirectTo=%2Fapp/)
    expect((page as unknown as { errors: string[] }).errors).toEqual([])
  })

  it('shows one message for a wrong password, with a 400', async () => {
    const page = await newPage(browser)
    await page.goto('/login')
    await page.getByLabel('E-mail').fill('bruno.lima@horizonte.demo')
    await page.getByLabel('Senha').fill('not the password')
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Entrar' }).click(),
    ])
    expect(response.status()).toBe(400)
    await expect.poll(() => page.getByRole('alert').first().innerText()).toBe('E-mail ou senha incorretos.')
  })

  it('validates the form inline before sending it', async () => {
    const page = await newPage(browser)
    await page.goto('/login')
    await page.getByLabel('E-mail').fill('not-an-email')
    await page.getByRole('button', { name: 'Entrar' }).click()
    await expect.poll(() => page.getByText('Informe um e-mail válido.').count()).toBe(1)
    expect(await page.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true')
  })
})

describe('password reset', () => {
  it('forgot → mailbox → reset: the new password works and old sessions are gone', async () => {
    const email = 'carla.mendes@horizonte.demo'
    const old = await newPage(browser)
    await login(old, email)
    await old.waitForURL(/\/app$/)

    const page = await newPage(browser)
    await page.goto('/forgot-password')
    await page.getByLabel('E-mail').fill(email)
    await page.getByRole('button', { name: 'Enviar link' }).click()
    await expect.poll(() => page.getByText('Se existir uma conta com esse e-mail').count()).toBe(1)

    const link = linkIn(await latestMail(page, email), '/reset-password/')
    await page.goto(link)
    await page.getByLabel('Nova senha', { exact: true }).fill('uma senha nova e longa')
    await page.getByLabel('Confirme a nova senha').fill('uma senha nova e longa')
    await page.getByRole('button', { name: 'Salvar nova senha' }).click()
    await page.waitForURL(/\/login\?notice=reset$/)

    await old.goto('/app')
    await old.waitForURL(/\/login/)

    await login(page, email, 'uma senha nova e longa')
    await page.waitForURL(/\/app$/)

    // The link works once.
    const again = await newPage(browser)
    await again.goto(link)
    await again.getByLabel('Nova senha', { exact: true }).fill('mais uma senha longa')
    await again.getByLabel('Confirme a nova senha').fill('mais uma senha longa')
    await again.getByRole('button', { name: 'Salvar nova senha' }).click()
    await expect.poll(() => again.getByText('Este link é inválido').count()).toBe(1)

    // Carla is a seeded agent other specs sign in as: she gets the demo password back (whatever the files' order).
    const restored = await page.request.post('/api/trpc/profile.changePassword', {
      data: { currentPassword: 'uma senha nova e longa', password: DEMO_PASSWORD, confirm: DEMO_PASSWORD },
    })
    expect(restored.status()).toBe(200)
  })
})

describe('invitations and roles', () => {
  it('a new agent accepts an invitation and sees agent-level navigation only', async () => {
    const manager = await newPage(browser)
    await login(manager, 'ana.souza@horizonte.demo')
    await manager.waitForURL(/\/app$/)
    await manager.goto('/app/members')
    await manager.getByRole('button', { name: 'Convidar membro' }).click()
    const dialog = manager.getByRole('dialog')
    await dialog.getByLabel('E-mail').fill('nova.corretora@horizonte.demo')
    await dialog.getByRole('button', { name: 'Convidar membro' }).click()
    await expect
      .poll(() => manager.getByTestId('invitation-row').filter({ hasText: 'nova.corretora@horizonte.demo' }).count())
      .toBe(1)

    const invitee = await newPage(browser)
    const link = linkIn(await latestMail(invitee, 'nova.corretora@horizonte.demo'), '/invite/')
    await invitee.goto(link)
    await invitee.getByLabel('Seu nome').fill('Nova Corretora')
    await invitee.getByLabel('Senha', { exact: true }).fill('minha senha de corretora')
    await invitee.getByLabel('Confirme a nova senha').fill('minha senha de corretora')
    await invitee.getByRole('button', { name: 'Aceitar e criar conta' }).click()
    await invitee.waitForURL(/\/login/)
    await login(invitee, 'nova.corretora@horizonte.demo', 'minha senha de corretora')
    await invitee.waitForURL(/\/app$/)
    const nav = invitee.getByRole('navigation', { name: 'Main' }).first()
    await expect
      .poll(async () => (await nav.getByRole('link').allInnerTexts()).map((s) => s.split('\n')[0]))
      .toEqual(['Início', 'Hoje', 'Leads', 'Clientes', 'Imóveis', 'WhatsApp', 'Relatórios', 'Equipe', 'Meu perfil'])
    expect(await invitee.getByRole('button', { name: 'Convidar membro' }).count()).toBe(0)
    const settings = await invitee.goto('/app/settings')
    expect(settings?.status()).toBe(403)
  })
})

describe('platform admin', () => {
  it('a suspended agency cannot sign in, with a clear message', async () => {
    const admin = await newPage(browser)
    await login(admin, 'admin@impera.demo')
    await admin.waitForURL(/\/admin\/agencies$/)
    admin.on('dialog', (d) => void d.accept())
    const row = admin.getByTestId('agency-row').filter({ hasText: 'Lar Doce Lar Imóveis' })
    await row.getByRole('button', { name: 'Suspender' }).click()
    await expect.poll(() => row.getByText('Suspensa', { exact: true }).count()).toBe(1)

    const member = await newPage(browser)
    await login(member, 'diego.alves@lardocelar.demo')
    await expect.poll(() => member.getByRole('alert').first().innerText()).toContain('Sua imobiliária está suspensa')
    expect(member.url()).toContain('/login')

    await row.getByRole('button', { name: 'Reativar' }).click()
    await expect.poll(() => row.getByText('Ativa', { exact: true }).count()).toBe(1)
    await login(member, 'diego.alves@lardocelar.demo')
    await member.waitForURL(/\/app$/)
  })
})

describe('language', () => {
  it('switches between pt-BR and en, and remembers it on the profile', async () => {
    const page = await newPage(browser, { locale: 'pt-BR' })
    await login(page, 'elisa.rocha@lardocelar.demo')
    await page.waitForURL(/\/app$/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('Olá')
    // The language is in the user menu (not on every page's header), on a phone as on a laptop.
    await page.getByTestId('user-menu').click()
    await page.getByTestId('language-en').click()
    // The switch reloads the page in the new language.
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' })
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('Welcome')
    expect(new URL(page.url()).pathname).toBe('/app')
    const other = await newPage(browser, { locale: 'pt-BR' })
    await login(other, 'elisa.rocha@lardocelar.demo')
    await other.waitForURL(/\/app$/)
    await expect
      .poll(() => other.getByRole('heading', { level: 1 }).innerText(), { timeout: 10_000 })
      .toContain('Welcome')
  })

  it('is usable at 375 px: a tab bar for the daily places, "Mais" opens the rest as a panel', async () => {
    const page = await newPage(browser, { width: 375 })
    await login(page, 'ana.souza@horizonte.demo')
    await page.waitForURL(/\/app$/)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
    expect(overflow).toBe(false)
    const tabs = page.getByRole('navigation', { name: 'Navegação rápida' })
    await tabs.waitFor()
    expect(await tabs.getByRole('link').count()).toBe(4)
    for (const name of ['Hoje', 'Leads', 'Conversas', 'Imóveis'])
      expect(await tabs.getByRole('link', { name }).count()).toBe(1)
    // Pinned to the bottom of the screen, whatever the page's length.
    const box = (await tabs.boundingBox())!
    expect(Math.round(box.y + box.height)).toBe(800)
    await tabs.getByRole('link', { name: 'Leads' }).click()
    await page.waitForURL(/\/app\/leads$/)
    await expect.poll(() => tabs.getByRole('link', { name: 'Leads' }).getAttribute('aria-current')).toBe('page')
    await tabs.getByRole('button', { name: 'Mais' }).click()
    await page.getByRole('dialog').getByRole('link', { name: 'Equipe' }).click()
    await page.waitForURL(/\/app\/members$/)
    // Inside a conversation the composer owns the bottom of the screen.
    await page.goto('/app/inbox')
    await page.getByTestId('conversation-item').first().click()
    await page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/)
    await expect.poll(() => page.getByTestId('bottom-nav').count()).toBe(0)
    // On a laptop the sidebar has it all, with icons; no tab bar.
    await page.setViewportSize({ width: 1280, height: 800 })
    expect(await page.getByTestId('bottom-nav').isVisible()).toBe(false)
  })
})
