/**
 * A voice note recorded in the browser, made into one WhatsApp plays as a voice message. Browsers record Opus in WebM
 * (Chromium's MediaRecorder has no Ogg), while WhatsApp takes Opus only in Ogg. The Opus packets stay as they are: this
 * reads them out of the WebM (Matroska/EBML) container and writes them into an Ogg one (RFC 7845), with no decoding and
 * no native dependency.
 */

export class VoiceNoteError extends Error {}

/** Matroska element ids (with their length marker, as written). */
const ID = {
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  codecDelay: 0x56aa,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  channels: 0x9f,
  cluster: 0x1f43b675,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
} as const

/** Elements whose children are read in line (their size may be "unknown" in a live recording). */
const containers = new Set<number>([ID.segment, ID.tracks, ID.trackEntry, ID.audio, ID.cluster, ID.blockGroup])

interface Track {
  number: number
  codec: string
  head: Uint8Array | null
  codecDelayNs: number
  rate: number
  channels: number
}

/** Converts a WebM file with one Opus audio track into an Ogg Opus file; throws VoiceNoteError for anything else. */
export function webmOpusToOgg(webm: Uint8Array, serial = 0x494d5045): Uint8Array {
  const tracks: Track[] = []
  const packets: { track: number; data: Uint8Array }[] = []
  let track: Track | null = null
  let pos = 0
  const fail = (why: string): never => {
    throw new VoiceNoteError(why)
  }
  const readVint = (keepMarker: boolean): { value: number; length: number; unknown: boolean } => {
    const first = webm[pos]
    if (first === undefined || first === 0) fail('bad element header')
    const length = Math.clz32(first!) - 23
    if (length > 8 || pos + length > webm.length) fail('truncated element header')
    let value = keepMarker ? first! : first! & (0xff >> length)
    let allOnes = value === 0xff >> length
    for (let i = 1; i < length; i++) {
      value = value * 256 + webm[pos + i]!
      if (webm[pos + i] !== 0xff) allOnes = false
    }
    pos += length
    return { value, length, unknown: !keepMarker && allOnes }
  }
  const uint = (bytes: Uint8Array) => bytes.reduce((n, b) => n * 256 + b, 0)

  while (pos < webm.length) {
    const id = readVint(true).value
    const size = readVint(false)
    if (containers.has(id)) {
      if (id === ID.trackEntry) {
        track = { number: 0, codec: '', head: null, codecDelayNs: 0, rate: 48_000, channels: 1 }
        tracks.push(track)
      }
      continue
    }
    if (size.unknown) fail('unknown size on a leaf element')
    const end = pos + size.value
    if (end > webm.length) {
      // A recording stopped mid-write can end in a cut block: keep what is whole.
      if (id === ID.simpleBlock || id === ID.block) break
      fail('truncated element')
    }
    const body = webm.subarray(pos, end)
    pos = end
    if (id === ID.ebml) continue
    if (track && id === ID.trackNumber) track.number = uint(body)
    else if (track && id === ID.codecId) track.codec = new TextDecoder().decode(body)
    else if (track && id === ID.codecPrivate) track.head = body
    else if (track && id === ID.codecDelay) track.codecDelayNs = uint(body)
    else if (track && id === ID.channels) track.channels = uint(body)
    else if (track && id === ID.samplingFrequency)
      track.rate = Math.round(
        body.length === 4
          ? new DataView(body.buffer, body.byteOffset).getFloat32(0)
          : new DataView(body.buffer, body.byteOffset).getFloat64(0),
      )
    else if (id === ID.simpleBlock || id === ID.block) for (const p of blockFrames(body)) packets.push(p)
  }

  const opus = tracks.find((t) => t.codec === 'A_OPUS')
  if (!opus) fail('no Opus track')
  const frames = packets.filter((p) => p.track === opus!.number).map((p) => p.data)
  if (!frames.length) fail('no audio')
  const head = opus!.head && isOpusHead(opus!.head) ? opus!.head : opusHead(opus!)
  return oggOpus(head, frames, serial)
}

/** The frames of a (Simple)Block: its track, then one frame, or several when laced. */
function blockFrames(block: Uint8Array): { track: number; data: Uint8Array }[] {
  let pos = 0
  const first = block[0]
  if (first === undefined || first === 0) throw new VoiceNoteError('bad block')
  const length = Math.clz32(first) - 23
  let track = first & (0xff >> length)
  for (let i = 1; i < length; i++) track = track * 256 + block[i]!
  pos = length + 2 // the track, then the 16-bit relative timecode
  const flags = block[pos++]
  if (flags === undefined) throw new VoiceNoteError('truncated block')
  const lacing = (flags >> 1) & 3
  if (lacing === 0) return [{ track, data: block.subarray(pos) }]
  const count = block[pos++]! + 1
  const sizes: number[] = []
  if (lacing === 1) {
    // Xiph: each size but the last as a run of 255s and a final byte.
    for (let i = 0; i < count - 1; i++) {
      let size = 0
      let b: number
      do {
        b = block[pos++] ?? 0
        size += b
      } while (b === 255)
      sizes.push(size)
    }
  } else if (lacing === 3) {
    // EBML: the first size, then signed differences from the one before.
    const vint = () => {
      const f = block[pos] || 0x80
      const len = Math.clz32(f) - 23
      let v = f & (0xff >> len)
      for (let i = 1; i < len; i++) v = v * 256 + (block[pos + i] ?? 0)
      pos += len
      return { v, len }
    }
    let size = count > 1 ? vint().v : 0
    if (count > 1) sizes.push(size)
    for (let i = 1; i < count - 1; i++) {
      const { v, len } = vint()
      size += v - (2 ** (7 * len - 1) - 1)
      sizes.push(size)
    }
  } else {
    // Fixed: equal parts.
    sizes.push(...Array.from({ length: count - 1 }, () => (block.length - pos) / count))
  }
  sizes.push(block.length - pos - sizes.reduce((a, b) => a + b, 0))
  const frames: { track: number; data: Uint8Array }[] = []
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 0 || pos + size > block.length) throw new VoiceNoteError('bad lacing')
    frames.push({ track, data: block.subarray(pos, pos + size) })
    pos += size
  }
  return frames
}

const ascii = (s: string) => new TextEncoder().encode(s)

function isOpusHead(b: Uint8Array): boolean {
  return b.length >= 19 && new TextDecoder().decode(b.subarray(0, 8)) === 'OpusHead'
}

/** The identification header (RFC 7845 §5.1) from the track's own fields, for a WebM that did not carry it. */
function opusHead(t: Track): Uint8Array {
  const head = new Uint8Array(19)
  const view = new DataView(head.buffer)
  head.set(ascii('OpusHead'))
  head[8] = 1
  head[9] = t.channels
  view.setUint16(10, Math.round((t.codecDelayNs * 48_000) / 1e9) || 312, true)
  view.setUint32(12, t.rate, true)
  return head
}

/** Samples (at 48 kHz) in one Opus packet, from its table-of-contents byte (RFC 6716 §3.1). */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0]
  if (toc === undefined) return 0
  const config = toc >> 3
  const tenthsOfMs =
    config < 12
      ? [100, 200, 400, 600][config % 4]!
      : config < 16
        ? [100, 200][config % 2]!
        : [25, 50, 100, 200][config % 4]!
  const code = toc & 3
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2
  return (frames * tenthsOfMs * 48) / 10
}

/** An Ogg Opus stream: the head page, the tags page, then the audio in pages of whole packets. */
function oggOpus(head: Uint8Array, packets: Uint8Array[], serial: number): Uint8Array {
  const pages: Uint8Array[] = []
  let sequence = 0
  const page = (data: Uint8Array[], granule: number, flags: number) =>
    pages.push(oggPage(data, granule, flags, serial, sequence++))
  page([head], 0, 0x02)
  const vendor = ascii('Impera CRM')
  const tags = new Uint8Array(8 + 4 + vendor.length + 4)
  tags.set(ascii('OpusTags'))
  new DataView(tags.buffer).setUint32(8, vendor.length, true)
  tags.set(vendor, 12)
  page([tags], 0, 0)
  let granule = 0
  let batch: Uint8Array[] = []
  let segments = 0
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i]!
    const need = Math.floor(p.length / 255) + 1
    if (batch.length && segments + need > 255) {
      page(batch, granule, 0)
      batch = []
      segments = 0
    }
    batch.push(p)
    segments += need
    granule += opusPacketSamples(p)
  }
  page(batch, granule, 0x04)
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of pages) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function oggPage(packets: Uint8Array[], granule: number, flags: number, serial: number, sequence: number): Uint8Array {
  const lacing: number[] = []
  for (const p of packets) {
    for (let n = p.length; n >= 255; n -= 255) lacing.push(255)
    lacing.push(p.length % 255)
  }
  if (lacing.length > 255) throw new VoiceNoteError('packet too large for one page')
  const size = packets.reduce((n, p) => n + p.length, 0)
  const page = new Uint8Array(27 + lacing.length + size)
  const view = new DataView(page.buffer)
  page.set(ascii('OggS'))
  page[5] = flags
  view.setBigUint64(6, BigInt(granule), true)
  view.setUint32(14, serial, true)
  view.setUint32(18, sequence, true)
  page[26] = lacing.length
  page.set(lacing, 27)
  let at = 27 + lacing.length
  for (const p of packets) {
    page.set(p, at)
    at += p.length
  }
  view.setUint32(22, oggCrc(page), true)
  return page
}

const crcTable = (() => {
  const table = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let r = i << 24
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1
    table[i] = r >>> 0
  }
  return table
})()

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, no final xor) over a page with its checksum field zeroed. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0
  for (let i = 0; i < page.length; i++) {
    const b = i >= 22 && i < 26 ? 0 : page[i]!
    crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ b) & 0xff]!) >>> 0
  }
  return crc
}
