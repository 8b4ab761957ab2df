import { describe, expect, it } from 'vitest'
import { pageShape, skeletonKind } from './page-shape'

describe('pageShape', () => {
  const id = '0b7a4c1e-3f2d-4e5a-9b8c-7d6e5f4a3b2c'
  const other = 'F1E2D3C4-B5A6-4978-8877-665544332211'

  it('is the same for the same page with other data, and differs between pages', () => {
    expect(pageShape(`/app/inbox/${id}`)).toBe(pageShape(`/app/inbox/${other}`))
    expect(pageShape(`/app/leads/${id}/edit`)).toBe('/app/leads/:id/edit')
    expect(pageShape('/app/leads')).not.toBe(pageShape(`/app/leads/${id}`))
    expect(pageShape(`/app/leads/${id}`)).not.toBe(pageShape(`/app/clients/${id}`))
  })

  it('leaves segments that only look like ids alone', () => {
    expect(pageShape('/app/leads/new')).toBe('/app/leads/new')
    expect(pageShape(`/app/imports/${id}x`)).toBe(`/app/imports/${id}x`)
    expect(pageShape('/app/settings/export')).toBe('/app/settings/export')
  })

  it('gives each kind of page its skeleton', () => {
    expect(skeletonKind('/app')).toBe('dashboard')
    expect(skeletonKind('/app/reports')).toBe('dashboard')
    expect(skeletonKind('/app/leads')).toBe('list')
    expect(skeletonKind('/app/leads/board')).toBe('list')
    expect(skeletonKind(`/app/leads/${id}`)).toBe('record')
    expect(skeletonKind(`/app/properties/${other}`)).toBe('record')
    expect(skeletonKind(`/app/clients/${id}/edit`)).toBe('form')
    expect(skeletonKind('/app/leads/new')).toBe('form')
    expect(skeletonKind('/app/settings/whatsapp')).toBe('form')
    expect(skeletonKind('/profile')).toBe('form')
    expect(skeletonKind('/app/inbox')).toBe('inbox')
    expect(skeletonKind(`/app/inbox/${id}`)).toBe('inbox')
    expect(skeletonKind('/app/calendar')).toBe('calendar')
    expect(skeletonKind('/app/imports')).toBe('list')
  })
})
