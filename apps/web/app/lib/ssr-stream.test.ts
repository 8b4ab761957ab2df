import { PassThrough } from 'node:stream'
import { createElement } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

/** The bytes React's streaming renderer (the one entry.server.tsx uses) sends for `element`. */
function streamed(element: ReturnType<typeof createElement>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    out.on('end', () => resolve(Buffer.concat(chunks)))
    const { pipe } = renderToPipeableStream(element, { onAllReady: () => pipe(out), onError: reject })
  })
}

/**
 * React 18.3's streaming renderer wrote its whole 2 KB buffer when a multi-byte character did not fit in what was left
 * of it — the unused bytes included, as NULs the browser shows as "�" (a property title read "metr�ô" on the lead page,
 * its button then had another name). patches/react-dom@18.3.1.patch writes only the bytes used; these pages are
 * Portuguese, so every page was exposed.
 */
describe('server-rendered HTML', () => {
  it('is exactly the UTF-8 of the text, wherever an accented character falls against the buffer', async () => {
    // Short strings fill the buffer (one longer than a third of it is written on its own): every offset of the accented
    // text against the buffer's end.
    for (let pad = 0; pad < 400; pad++) {
      const html = await streamed(
        createElement(
          'div',
          null,
          ['x', 'y', 'z'].map((c) => createElement('p', { key: c }, c.repeat(600))),
          createElement('p', null, 'a'.repeat(pad)),
          createElement('p', { title: 'metrô em Butantã' }, 'metrô em Butantã, São Paulo'),
        ),
      )
      expect(html.includes(0), `a NUL byte with ${pad} bytes of padding`).toBe(false)
      expect(html.toString('utf8')).toContain('<p title="metrô em Butantã">metrô em Butantã, São Paulo</p>')
    }
  })
})
