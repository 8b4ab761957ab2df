import { ZListLeadsInput, ZListPropertiesInput } from '@impera/api/schemas'
import { describe, expect, it } from 'vitest'
import { bulkFilterOf, parseListParams, visibleColumns, zonedDayStart } from './list-params'

const leadDays = { from: { key: 'createdFrom' }, to: { key: 'createdTo', end: true } }

describe('list params', () => {
  it('reads a day in the agency time zone, the end day inclusive', () => {
    expect(zonedDayStart('2026-12-01', 'America/Sao_Paulo').toISOString()).toBe('2026-12-01T03:00:00.000Z')
    expect(zonedDayStart('2026-07-01', 'Europe/Lisbon').toISOString()).toBe('2026-06-30T23:00:00.000Z')
    const { parsed } = parseListParams(
      ZListLeadsInput,
      new URLSearchParams('from=2026-12-01&to=2026-12-01'),
      { days: leadDays },
      'America/Sao_Paulo',
    )
    expect(parsed.createdFrom?.toISOString()).toBe('2026-12-01T03:00:00.000Z')
    expect(parsed.createdTo?.toISOString()).toBe('2026-12-02T03:00:00.000Z')
  })

  it('takes repeated and comma-separated values for multi-value filters', () => {
    const { parsed } = parseListParams(
      ZListLeadsInput,
      new URLSearchParams('status=new&status=lost,contacted&tags=vip'),
      { multi: ['status', 'tags'] },
      'UTC',
    )
    expect(parsed.status).toEqual(['new', 'lost', 'contacted'])
    expect(parsed.tags).toEqual(['vip'])
  })

  it('drops only the params the schema rejects, and says which', () => {
    const { parsed, ignored, input } = parseListParams(
      ZListLeadsInput,
      new URLSearchParams('q=silva&status=bogus&from=yesterday&sort=name&after=garbage'),
      { multi: ['status'], days: leadDays },
      'UTC',
    )
    expect(parsed).toMatchObject({ q: 'silva', sort: 'name' })
    expect(parsed.status).toBeUndefined()
    expect(ignored.sort()).toEqual(['after', 'from', 'status'])
    // What goes to the procedure is the raw input it can parse again (not the transformed output).
    expect(ZListLeadsInput.parse(input)).toMatchObject({ q: 'silva', sort: 'name' })
    const prices = parseListParams(
      ZListPropertiesInput,
      new URLSearchParams('priceMin=500.000&priceMax=100'),
      {},
      'UTC',
    )
    expect(prices.ignored).toEqual(['priceMax'])
    expect(prices.parsed.priceMin).toBe(50_000_000)
  })

  it('gives a bulk selection only the filters the page applied', () => {
    const p = new URLSearchParams('tags=a&tags=b&status=bogus&pageSize=5&after=x&sort=name&q=silva')
    // Paging, sorting and a filter the loader ignored are not part of "all that match".
    expect(bulkFilterOf(p, ['q', 'tags', 'status'], ['status'])).toBe('tags=a&tags=b&q=silva')
    expect(bulkFilterOf(new URLSearchParams('pageSize=5'), ['q'], [])).toBe('')
  })

  it('shows the asked columns it knows, else the defaults', () => {
    expect(
      visibleColumns(new URLSearchParams('cols=email&cols=nope,status'), ['email', 'status', 'tags'], ['tags']),
    ).toEqual(['email', 'status'])
    expect(visibleColumns(new URLSearchParams('cols=nope'), ['email'], ['email'])).toEqual(['email'])
  })
})
