import { describe, expect, it } from 'vitest'
import { oggCrc, opusPacketSamples, VoiceNoteError, webmOpusToOgg } from './voice-note'

/** A Matroska element: its id bytes, its size (8 bytes of 0x01FF… for "unknown"), its body. */
function el(id: number, body: Uint8Array | number[] | 'unknown-size', children: Uint8Array[] = []): Uint8Array {
  const idBytes: number[] = []
  for (let v = id; v > 0; v = Math.floor(v / 256)) idBytes.unshift(v & 0xff)
  if (body === 'unknown-size')
    return concat([new Uint8Array([...idBytes, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), ...children])
  const data = body instanceof Uint8Array ? body : new Uint8Array(body)
  const n = data.length
  return concat([new Uint8Array([...idBytes, 0x10, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]), data])
}
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const text = (s: string) => new TextEncoder().encode(s)
const float32 = (v: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setFloat32(0, v)
  return b
}

function opusHead(preSkip = 312) {
  const h = new Uint8Array(19)
  h.set(text('OpusHead'))
  h[8] = 1
  h[9] = 1
  new DataView(h.buffer).setUint16(10, preSkip, true)
  new DataView(h.buffer).setUint32(12, 48_000, true)
  return h
}

/** A 20 ms CELT packet (TOC 0xF8) and a three-frame one (code 3): 960 and 2,880 samples. */
const packetA = new Uint8Array([0xf8, 1, 2, 3, 4])
const packetB = new Uint8Array([0xfb, 0x03, ...Array.from({ length: 300 }, (_, i) => i & 0xff)])

function webm({ codec = 'A_OPUS', head = opusHead() as Uint8Array | null, blocks = [] as Uint8Array[] } = {}) {
  const entry = [
    el(0xd7, [1]),
    el(0x86, text(codec)),
    ...(head ? [el(0x63a2, head)] : []),
    el(0xe1, concat([el(0xb5, float32(48_000)), el(0x9f, [1])])),
  ]
  return concat([
    el(0x1a45dfa3, concat([el(0x4282, text('webm'))])),
    el(0x18538067, 'unknown-size', [
      el(0x1549a966, concat([el(0x2ad7b1, [0x0f, 0x42, 0x40])])),
      el(0x1654ae6b, concat([el(0xae, concat(entry))])),
      el(0x1f43b675, 'unknown-size', [el(0xe7, [0]), ...blocks.map((b) => el(0xa3, b))]),
    ]),
  ])
}
/** A SimpleBlock of track 1, timecode 0, keyframe, unlaced. */
const simple = (p: Uint8Array) => concat([new Uint8Array([0x81, 0, 0, 0x80]), p])

/** Reads an Ogg stream back: each page's flags, granule, sequence, checksum check and packets. */
function readOgg(bytes: Uint8Array) {
  const pages: { flags: number; granule: bigint; sequence: number; crcOk: boolean; packets: Uint8Array[] }[] = []
  let pos = 0
  let pending: number[] = []
  while (pos < bytes.length) {
    expect(new TextDecoder().decode(bytes.subarray(pos, pos + 4))).toBe('OggS')
    const view = new DataView(bytes.buffer, bytes.byteOffset + pos)
    const count = bytes[pos + 26]!
    const lacing = [...bytes.subarray(pos + 27, pos + 27 + count)]
    const size = lacing.reduce((a, b) => a + b, 0)
    const page = bytes.subarray(pos, pos + 27 + count + size)
    const packets: Uint8Array[] = []
    let at = 27 + count
    for (const l of lacing) {
      pending.push(...page.subarray(at, at + l))
      at += l
      if (l < 255) {
        packets.push(new Uint8Array(pending))
        pending = []
      }
    }
    pages.push({
      flags: bytes[pos + 5]!,
      granule: view.getBigUint64(6, true),
      sequence: view.getUint32(18, true),
      crcOk: oggCrc(page) === view.getUint32(22, true),
      packets,
    })
    pos += page.length
  }
  return pages
}

describe('voice notes: WebM/Opus into Ogg/Opus', () => {
  it('keeps every packet, with the head and tags pages first and granules counting 48 kHz samples', () => {
    const ogg = webmOpusToOgg(webm({ blocks: [simple(packetA), simple(packetB), simple(packetA)] }))
    const pages = readOgg(ogg)
    expect(pages.every((p) => p.crcOk)).toBe(true)
    expect(pages.map((p) => p.sequence)).toEqual(pages.map((_, i) => i))
    expect(pages[0]).toMatchObject({ flags: 0x02, granule: 0n })
    expect(new TextDecoder().decode(pages[0]!.packets[0]!.subarray(0, 8))).toBe('OpusHead')
    expect(new TextDecoder().decode(pages[1]!.packets[0]!.subarray(0, 8))).toBe('OpusTags')
    const audio = pages.slice(2)
    expect(audio.at(-1)!.flags & 0x04).toBe(0x04)
    expect(audio.at(-1)!.granule).toBe(BigInt(960 + 2880 + 960))
    expect(audio.flatMap((p) => p.packets)).toEqual([packetA, packetB, packetA])
  })

  it('splits long recordings into pages of at most 255 segments, granules rising', () => {
    const blocks = Array.from({ length: 600 }, () => simple(packetB))
    const pages = readOgg(webmOpusToOgg(webm({ blocks })))
    const audio = pages.slice(2)
    expect(audio.length).toBeGreaterThan(2)
    expect(audio.flatMap((p) => p.packets)).toHaveLength(600)
    const granules = audio.map((p) => p.granule)
    expect([...granules].sort((a, b) => (a < b ? -1 : 1))).toEqual(granules)
    expect(granules.at(-1)).toBe(BigInt(600 * 2880))
    expect(pages.every((p) => p.crcOk)).toBe(true)
  })

  it('reads laced blocks and writes the head itself when the WebM has none', () => {
    // Xiph lacing, two frames: the first one's size (5), then both.
    const laced = concat([new Uint8Array([0x81, 0, 0, 0x80 | 0x02, 1, 5]), packetA, packetA])
    const pages = readOgg(webmOpusToOgg(webm({ head: null, blocks: [laced] })))
    const head = pages[0]!.packets[0]!
    expect(new TextDecoder().decode(head.subarray(0, 8))).toBe('OpusHead')
    expect(head[9]).toBe(1)
    expect(pages.slice(2).flatMap((p) => p.packets)).toEqual([packetA, packetA])
  })

  it('refuses what is not Opus in WebM', () => {
    expect(() => webmOpusToOgg(text('not a webm at all'))).toThrow(VoiceNoteError)
    expect(() => webmOpusToOgg(webm({ codec: 'A_VORBIS', blocks: [simple(packetA)] }))).toThrow(VoiceNoteError)
    expect(() => webmOpusToOgg(webm({ blocks: [] }))).toThrow(VoiceNoteError)
    expect(() => webmOpusToOgg(new Uint8Array())).toThrow(VoiceNoteError)
  })

  it('counts samples from the packet’s table of contents', () => {
    expect(opusPacketSamples(new Uint8Array([0x08]))).toBe(960) // SILK 20 ms
    expect(opusPacketSamples(new Uint8Array([0x00 | 0x01]))).toBe(960) // SILK 10 ms ×2
    expect(opusPacketSamples(new Uint8Array([0x78]))).toBe(960) // Hybrid 20 ms
    expect(opusPacketSamples(new Uint8Array([0x80]))).toBe(120) // CELT 2.5 ms
  })
})
