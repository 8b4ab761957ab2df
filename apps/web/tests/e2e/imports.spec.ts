import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/**
 * Decisions 024 and 045 end to end: a manager brings a spreadsheet from the leads page, checks the guessed columns, reads the
 * report, runs the import in the real worker while the page follows it live, finds the leads, and undoes it.
 */
describe('spreadsheet import', () => {
  it('upload → mapping → report → import → leads in the list → undo', async () => {
    const tag = Date.now().toString(36)
    const digits = String(Date.now()).slice(-7)
    const phone = (n: number) => `(31) 9${n}${digits.slice(0, 3)}-${digits.slice(3)}`
    const csv = [
      'Nome;Celular;E-mail;Bairro;Valor',
      `Importada Um ${tag};${phone(1)};um.${tag}@example.test;Savassi;R$ 450.000,00`,
      `Importada Dois ${tag};${phone(2)};;Lourdes;1,2 mi`,
      ';;;Centro;',
    ].join('\r\n')
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/leads')
    await page.getByRole('link', { name: 'Importar planilha' }).click()
    await page.waitForURL(/\/app\/imports$/)
    await page.getByTestId('import-file').setInputFiles({
      name: `leads-${tag}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'latin1'),
    })
    await page.waitForURL(/\/app\/imports\/[0-9a-f-]{36}$/)
    // The columns were recognised from their pt-BR headers; the sample shows the file's first values.
    await expect.poll(() => page.getByTestId('map-0').inputValue()).toBe('name')
    expect(await page.getByTestId('map-1').inputValue()).toBe('phones')
    expect(await page.getByTestId('map-4').inputValue()).toBe('budgetMax')
    expect(await page.getByText(`Importada Um ${tag}`).count()).toBeGreaterThan(0)
    await page.getByLabel(/Preencher campos vazios/).check()
    await page.getByTestId('import-validate').click()

    // The worker checks the file; the page follows it live.
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Conferida')
    expect(await page.getByTestId('count-create').innerText()).toContain('2')
    expect(await page.getByTestId('count-refuse').innerText()).toContain('1')
    const refused = page.getByTestId('import-report-row').filter({ hasText: 'sem nome, telefone ou e-mail' })
    expect(await refused.innerText()).toContain('4')
    // The same report as a file, in the reader's language, to fix the sheet by.
    const reportUrl = await page.getByTestId('import-report-csv').getAttribute('href')
    const report = await page.request.get(reportUrl!)
    expect(report.status()).toBe(200)
    expect(report.headers()['content-disposition']).toContain('relatorio-da-importacao')
    const reportText = await report.text()
    expect(reportText).toContain('Linha;Resultado;Por quê;Id do registro')
    expect(reportText).toContain('4;recusado;sem nome, telefone ou e-mail;')

    await page.getByTestId('import-start').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Importada')
    expect(await page.getByTestId('count-create').innerText()).toContain('2')

    await page.goto(`/app/leads?q=${encodeURIComponent(`Importada Um ${tag}`)}`)
    await expect.poll(() => page.getByRole('link', { name: `Importada Um ${tag}` }).count()).toBe(1)

    await page.goBack()
    await page.getByTestId('import-undo').click()
    await page.getByTestId('import-undo-confirm').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Desfeita')
    await page.goto(`/app/leads?q=${encodeURIComponent(`Importada Um ${tag}`)}`)
    await expect.poll(() => page.getByText('Importada Um').count()).toBe(0)
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('from the properties list: listings with their owners, the kind chosen, the codes and the owner linked', async () => {
    const tag = Date.now().toString(36).toUpperCase()
    const digits = String(Date.now()).slice(-8)
    const csv = [
      'Código;Tipo;Finalidade;Valor de venda;Quartos;Bairro;Cidade;Proprietário;Telefone do proprietário',
      `E2E-${tag};Apartamento;Venda;R$ 780.000,00;3;Savassi;Belo Horizonte;Dona ${tag};(31) 9${digits}`,
      `;Casa;Venda;1,1 mi;4;Mangabeiras;Belo Horizonte;Dona ${tag};31 9${digits}`,
    ].join('\r\n')
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/properties')
    await page.getByRole('link', { name: 'Importar planilha' }).click()
    await page.waitForURL(/\/app\/imports\?kind=properties$/)
    await hydrated(page)
    expect(await page.getByRole('radio', { name: 'Imóveis e proprietários' }).isChecked()).toBe(true)
    await page.getByTestId('import-file').setInputFiles({
      name: `imoveis-${tag}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    })
    await page.waitForURL(/\/app\/imports\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByTestId('map-0').inputValue()).toBe('code')
    expect(await page.getByTestId('map-7').inputValue()).toBe('ownerName')
    expect(await page.getByTestId('map-8').inputValue()).toBe('ownerPhones')
    // Leads' distribution does not apply to listings.
    expect(await page.getByText('Distribuir pelas regras').count()).toBe(0)
    await page.getByTestId('import-validate').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Conferida')
    await page.getByTestId('import-start').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Importada')
    expect(await page.getByTestId('count-create').innerText()).toContain('2')

    await page.getByRole('link', { name: 'Ver imóveis' }).click()
    await page.goto(`/app/properties?q=${encodeURIComponent(`E2E-${tag}`)}`)
    const listing = page.getByRole('link', { name: new RegExp(`E2E-${tag}`) }).first()
    await listing.click()
    await page.waitForURL(/\/app\/properties\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByText(`Dona ${tag}`).count()).toBeGreaterThan(0)
    // The owner is one client for both listings.
    await page.goto(`/app/clients?q=${encodeURIComponent(`Dona ${tag}`)}`)
    await expect.poll(() => page.getByRole('link', { name: `Dona ${tag}` }).count()).toBe(1)
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('clients from the clients list: the kind chosen, the columns guessed, the client opened', async () => {
    const tag = Date.now().toString(36)
    const digits = String(Date.now()).slice(-8)
    const csv = [
      'Nome;Celular;E-mail;CPF/CNPJ;Tipo;Cidade',
      `Cliente Planilha ${tag};(31) 9${digits};planilha.${tag}@example.test;;Comprador;Belo Horizonte`,
      `Inquilina Planilha ${tag};31 9${String(Number(digits) + 1).padStart(8, '0')};;;Inquilina;Contagem`,
    ].join('\r\n')
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    await page.goto('/app/clients')
    await page.getByRole('link', { name: 'Importar planilha' }).click()
    await page.waitForURL(/\/app\/imports\?kind=clients$/)
    await hydrated(page)
    expect(await page.getByRole('radio', { name: 'Clientes' }).isChecked()).toBe(true)
    await page.getByTestId('import-file').setInputFiles({
      name: `clientes-${tag}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    })
    await page.waitForURL(/\/app\/imports\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByTestId('map-3').inputValue()).toBe('document')
    expect(await page.getByTestId('map-4').inputValue()).toBe('types')
    expect(await page.getByText('Quando a pessoa já é cliente').count()).toBe(1)
    await page.getByTestId('import-validate').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Conferida')
    await page.getByTestId('import-start').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 20_000 }).toBe('Importada')
    expect(await page.getByTestId('count-create').innerText()).toContain('2')
    await page.getByRole('link', { name: 'Ver clientes' }).click()
    await page.waitForURL(/\/app\/clients$/)
    await page.goto(`/app/clients?q=${encodeURIComponent(`Cliente Planilha ${tag}`)}`)
    await page.getByRole('link', { name: `Cliente Planilha ${tag}` }).click()
    await page.waitForURL(/\/app\/clients\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByText(`planilha.${tag}@example.test`).count()).toBeGreaterThan(0)
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('a file that is not a spreadsheet is refused with what to do; the pages fit a phone; agents are refused', async () => {
    const phone = await signedIn(browser, 'ana.souza@horizonte.demo', { width: 375 })
    const res = await phone.goto('/app/imports')
    expect(res?.status()).toBe(200)
    await phone.getByTestId('import-file').setInputFiles({
      name: 'velho.xls',
      mimeType: 'application/vnd.ms-excel',
      buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    })
    await expect
      .poll(() => phone.getByTestId('import-upload-error').innerText())
      .toContain('Arquivos antigos do Excel (.xls)')
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await phone
      .getByRole('link')
      .filter({ hasText: /\.csv$/ })
      .first()
      .click()
    await phone.waitForURL(/\/app\/imports\/[0-9a-f-]{36}$/)
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    const someImport = phone.url().split('/').pop()
    await phone.close()

    const agent = await signedIn(browser, 'bruno.lima@horizonte.demo')
    expect((await agent.goto('/app/imports'))?.status()).toBe(403)
    expect((await agent.request.get(`/app/imports/${someImport}/report.csv`)).status()).toBe(403)
    await agent.close()
  })
})
