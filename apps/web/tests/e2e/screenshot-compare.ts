import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

export const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots')

/** A pixel differs when one of its channels moved by more than this (anti-aliasing moves a few units). */
const CHANNEL = 40
/** The share of pixels that may differ before the page counts as changed: a glyph's edge, not a moved block. */
const SHARE = 0.002

const pixels = (png: Buffer | string) => sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })

/**
 * Compares a screenshot with its committed reference (screenshots/<name>.png). `UPDATE_SCREENSHOTS=1` rewrites the
 * references (review the images, then commit them); a missing reference is written on a developer's machine and is a
 * failure on CI. On a difference the new image is kept in the temporary directory, named in the error.
 */
export async function matchesReference(name: string, png: Buffer): Promise<void> {
  const ref = path.join(SCREENSHOTS, `${name}.png`)
  if (process.env.UPDATE_SCREENSHOTS || (!existsSync(ref) && !process.env.CI)) {
    await mkdir(SCREENSHOTS, { recursive: true })
    await writeFile(ref, png)
    return
  }
  if (!existsSync(ref)) throw new Error(`no reference image ${name}.png: run this spec with UPDATE_SCREENSHOTS=1`)
  const [a, b] = await Promise.all([pixels(ref), pixels(png)])
  let changed = 0
  if (a.info.width === b.info.width && a.info.height === b.info.height)
    for (let i = 0; i < a.data.length; i += 4)
      if (
        Math.abs(a.data[i]! - b.data[i]!) > CHANNEL ||
        Math.abs(a.data[i + 1]! - b.data[i + 1]!) > CHANNEL ||
        Math.abs(a.data[i + 2]! - b.data[i + 2]!) > CHANNEL
      )
        changed++
  const share = a.info.width === b.info.width ? changed / (a.info.width * a.info.height) : 1
  if (share > SHARE) {
    const actual = path.join(tmpdir(), `impera-screenshot-${name}.png`)
    await writeFile(actual, png)
    throw new Error(
      `${name}: ${(share * 100).toFixed(2)}% of the pixels differ from the reference (new image: ${actual}); ` +
        'if the change is intended, run this spec with UPDATE_SCREENSHOTS=1 and commit the images',
    )
  }
}
