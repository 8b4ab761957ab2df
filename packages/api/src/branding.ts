/**
 * An agency's brand colour as the app's primary colour (issue 18's agency identity), kept readable: in each theme the
 * colour is darkened or lightened until text in it passes WCAG AA (4.5:1, with a margin) on that theme's surfaces,
 * and the text on a button of it is white or near-black, whichever contrasts more. So any colour a manager picks
 * leaves every page accessible, in light and dark alike. No imports: the shell and the public property page both
 * render it.
 */

export const BRAND_COLOR = /^#[0-9a-f]{6}$/

/** The themes' backgrounds (packages/ui/src/styles.css), which the primary colour is read against. */
const LIGHT_BACKGROUND = '#ffffff'
const DARK_BACKGROUND = '#0a0f1c'
const DARK_TEXT = '#0a0f1c'

type Rgb = [number, number, number]

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb
const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((m, n) => n - m) as [number, number]
  return (x + 0.05) / (y + 0.05)
}

/** `color` mixed towards `target` in small steps until it reaches `ratio` against `background`. */
function towards(color: string, target: string, background: string, ratio: number): string {
  const from = rgb(color)
  const to = rgb(target)
  for (let step = 0; step <= 20; step++) {
    const t = step / 20
    const mixed = hex(from.map((v, i) => v + (to[i]! - v) * t) as Rgb)
    if (contrast(mixed, background) >= ratio) return mixed
  }
  return target
}

export interface BrandPalette {
  light: { primary: string; primaryForeground: string }
  dark: { primary: string; primaryForeground: string }
}

export function brandPalette(color: string): BrandPalette | null {
  const c = color.toLowerCase()
  if (!BRAND_COLOR.test(c)) return null
  // 5:1 against the page, not 4.5: the colour also sits on the tinted panels (muted, accent) a little off the page's.
  const light = towards(c, '#000000', LIGHT_BACKGROUND, 5)
  const dark = towards(c, '#ffffff', DARK_BACKGROUND, 5)
  const onIt = (bg: string) => (contrast('#ffffff', bg) >= contrast(DARK_TEXT, bg) ? '#ffffff' : DARK_TEXT)
  return {
    light: { primary: light, primaryForeground: onIt(light) },
    dark: { primary: dark, primaryForeground: onIt(dark) },
  }
}

/** The CSS that makes the brand the primary colour (and the focus ring) everywhere, portals included. */
export function brandCss(color: string | null | undefined): string | null {
  const p = color ? brandPalette(color) : null
  if (!p) return null
  return `:root{--color-primary:light-dark(${p.light.primary},${p.dark.primary});--color-primary-foreground:light-dark(${p.light.primaryForeground},${p.dark.primaryForeground});--color-ring:light-dark(${p.light.primary},${p.dark.primary})}`
}

/** A logo's key in the store: the only files served without a session (GET /media/branding/…), so its shape is strict. */
export const LOGO_KEY = /^[0-9a-f-]{36}\/branding\/logo-[0-9a-f-]{36}\.png$/

/** The public address of a logo: `<agency>/branding/logo-<uuid>.png` → `/media/branding/<agency>/logo-<uuid>.png`. */
export function logoUrl(key: string | null | undefined): string | null {
  return key && LOGO_KEY.test(key) ? `/media/branding/${key.replace('/branding/', '/')}` : null
}
