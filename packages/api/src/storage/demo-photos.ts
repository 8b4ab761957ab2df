import { eq, propertyPhotos, sql, type Db } from '@impera/db'
import sharp from 'sharp'
import type { FileStorage } from './index'

const palettes = [
  { sky: ['#8ec5fc', '#e0f0ff'], wall: '#f4e3c1', roof: '#b5523b', ground: '#7fb069' },
  { sky: ['#fbc2a4', '#fde9d9'], wall: '#e8ecef', roof: '#5b6770', ground: '#9bc27d' },
  { sky: ['#a1c4fd', '#c2e9fb'], wall: '#d9c5b2', roof: '#7a4e3a', ground: '#6a994e' },
  { sky: ['#cfd9df', '#e2ebf0'], wall: '#fdf6e3', roof: '#2f4858', ground: '#8db580' },
]

/** A simple illustrated façade per property type, so demo listings look like listings without shipping photos. */
function svg(type: string, n: number): string {
  const p = palettes[n % palettes.length]!
  const windows = (x0: number, y0: number, cols: number, rows: number, w: number, h: number, gap: number) =>
    Array.from(
      { length: cols * rows },
      (_, i) =>
        `<rect x="${x0 + (i % cols) * (w + gap)}" y="${y0 + Math.floor(i / cols) * (h + gap)}" width="${w}" height="${h}" fill="#cfe8ff" stroke="#51606b" stroke-width="4"/>`,
    ).join('')
  const body =
    type === 'apartment'
      ? `<rect x="520" y="170" width="560" height="760" fill="${p.wall}" stroke="#51606b" stroke-width="6"/>${windows(570, 220, 4, 6, 90, 80, 35)}<rect x="760" y="830" width="80" height="100" fill="${p.roof}"/>`
      : type === 'commercial'
        ? `<rect x="360" y="420" width="880" height="510" fill="${p.wall}" stroke="#51606b" stroke-width="6"/><rect x="360" y="420" width="880" height="90" fill="${p.roof}"/>${windows(410, 560, 3, 1, 230, 260, 55)}<rect x="720" y="700" width="160" height="230" fill="#51606b"/>`
        : type === 'land'
          ? `<rect x="0" y="640" width="1600" height="427" fill="${p.ground}"/><path d="M300 760 L1300 700 L1400 900 L200 930 Z" fill="#c9b27c" stroke="#8a6d3b" stroke-width="6" stroke-dasharray="24 16"/><circle cx="1250" cy="560" r="90" fill="#4f772d"/><rect x="1235" y="620" width="30" height="120" fill="#6b4226"/>`
          : `<rect x="480" y="520" width="640" height="410" fill="${p.wall}" stroke="#51606b" stroke-width="6"/><path d="M430 530 L800 260 L1170 530 Z" fill="${p.roof}"/>${windows(540, 600, 2, 1, 150, 130, 330)}<rect x="740" y="720" width="120" height="210" fill="#7a4e3a"/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1067" viewBox="0 0 1600 1067">
  <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.sky[0]}"/><stop offset="1" stop-color="${p.sky[1]}"/></linearGradient></defs>
  <rect width="1600" height="1067" fill="url(#s)"/><circle cx="${1300 - n * 180}" cy="180" r="70" fill="#fff6c2"/>
  <rect x="0" y="900" width="1600" height="167" fill="${p.ground}"/>${body}</svg>`
}

/**
 * Writes the files of the demo seed's photo rows (named demo-<type>-<n>.jpg by @impera/db's seed) into storage. Runs
 * after the seed, as the owner; generates each distinct picture once.
 */
export async function seedDemoPhotoFiles(db: Db, storage: FileStorage): Promise<number> {
  const rows = await db
    .select({
      storageKey: propertyPhotos.storageKey,
      thumbKey: propertyPhotos.thumbKey,
      originalName: propertyPhotos.originalName,
    })
    .from(propertyPhotos)
    .where(sql`${propertyPhotos.originalName} like 'demo-%'`)
  const cache = new Map<string, { full: Buffer; thumb: Buffer }>()
  for (const row of rows) {
    const [, type = 'house', n = '0'] = /^demo-(\w+)-(\d+)/.exec(row.originalName ?? '') ?? []
    const name = `${type}-${n}`
    let files = cache.get(name)
    if (!files) {
      const png = await sharp(Buffer.from(svg(type, Number(n))))
        .png()
        .toBuffer()
      files = {
        full: await sharp(png).webp({ quality: 80 }).toBuffer(),
        thumb: await sharp(png).resize({ width: 480, height: 360, fit: 'cover' }).webp({ quality: 75 }).toBuffer(),
      }
      cache.set(name, files)
    }
    await storage.put(row.storageKey, files.full, 'image/webp')
    await storage.put(row.thumbKey, files.thumb, 'image/webp')
    await db
      .update(propertyPhotos)
      .set({ bytes: files.full.byteLength })
      .where(eq(propertyPhotos.storageKey, row.storageKey))
  }
  return rows.length
}
