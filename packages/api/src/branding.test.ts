import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { brandCss, brandPalette, contrast } from './branding'

describe('brand palette', () => {
  it('keeps a readable colour as it is and fixes one that is not, in each theme', () => {
    // A dark navy reads on white as it is, and is lightened for the dark theme.
    const navy = brandPalette('#1e3a8a')!
    expect(navy.light.primary).toBe('#1e3a8a')
    expect(navy.light.primaryForeground).toBe('#ffffff')
    expect(contrast(navy.dark.primary, '#0a0f1c')).toBeGreaterThanOrEqual(4.5)
    // A pale yellow is darkened for white pages; on it, text is dark.
    const yellow = brandPalette('#FFE066')!
    expect(contrast(yellow.light.primary, '#ffffff')).toBeGreaterThanOrEqual(4.5)
    expect(yellow.dark.primary).toBe('#ffe066')
    expect(yellow.dark.primaryForeground).toBe('#0a0f1c')
  })

  it('passes AA for text in the colour and on it, for any colour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        const p = brandPalette(`#${n.toString(16).padStart(6, '0')}`)!
        expect(contrast(p.light.primary, '#ffffff')).toBeGreaterThanOrEqual(4.5)
        expect(contrast(p.dark.primary, '#0a0f1c')).toBeGreaterThanOrEqual(4.5)
        expect(contrast(p.light.primaryForeground, p.light.primary)).toBeGreaterThanOrEqual(4.5)
        expect(contrast(p.dark.primaryForeground, p.dark.primary)).toBeGreaterThanOrEqual(4.5)
      }),
    )
  })

  it('refuses anything but #rrggbb, so nothing else reaches the page’s CSS', () => {
    for (const bad of ['red', '#fff', '#12345g', '#1234567', '};body{display:none', '', '#ffffff;'])
      expect(brandPalette(bad)).toBeNull()
    expect(brandCss(null)).toBeNull()
    expect(brandCss('#1e3a8a')).toMatch(/^:root\{--color-primary:light-dark\(#1e3a8a,#[0-9a-f]{6}\);/)
  })
})
