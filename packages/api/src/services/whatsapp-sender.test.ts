import { describe, expect, it } from 'vitest'
import { sendRetryDelayMs } from './whatsapp-pipeline'
import { SendPacer } from './whatsapp-sender'

function clock() {
  let t = 1_000
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('SendPacer', () => {
  it('starts sends on an even grid of 1/rate seconds, with no burst after a quiet moment', () => {
    const c = clock()
    const pacer = new SendPacer(80, c.now)
    expect(pacer.take()).toBe(0)
    expect(pacer.take()).toBe(12.5)
    c.advance(12.5)
    expect(pacer.take()).toBe(0)
    // A minute of quiet stores nothing up: the next send goes, the one after waits its slot.
    c.advance(60_000)
    expect(pacer.take()).toBe(0)
    expect(pacer.take()).toBe(12.5)
  })

  it('catches up slots a late timer missed by up to 50 ms, so the rate holds; never more than that', () => {
    const c = clock()
    const pacer = new SendPacer(100, c.now)
    expect(pacer.take()).toBe(0)
    c.advance(40)
    // Slots at 10, 20, 30 and 40 ms passed while the timer was late: they go now, then the grid resumes.
    expect([pacer.take(), pacer.take(), pacer.take(), pacer.take()]).toEqual([0, 0, 0, 0])
    expect(pacer.take()).toBe(10)
    // In any one second, at the rate or a handful over it.
    let sent = 0
    for (let t = 0; t < 1000; t += 1, c.advance(1)) while (pacer.take() === 0) sent++
    expect(sent).toBeGreaterThanOrEqual(99)
    expect(sent).toBeLessThanOrEqual(101)
  })

  it('holds every send on a throughput error, 1 s then 2 s while they keep coming, and starts over after a success', () => {
    const c = clock()
    const pacer = new SendPacer(10, c.now)
    expect(pacer.take()).toBe(0)
    pacer.hold()
    expect(pacer.take()).toBe(1000)
    c.advance(1000)
    expect(pacer.take()).toBe(0)
    pacer.hold()
    expect(pacer.take()).toBe(2000)
    c.advance(2000)
    pacer.ok()
    pacer.hold()
    expect(pacer.take()).toBe(1000)
  })
})

describe('sendRetryDelayMs', () => {
  it('backs the pair limit off 4^n seconds up to 15 minutes, anything else 2^(n-1) seconds up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => sendRetryDelayMs('131056', n) / 1000)).toEqual([4, 16, 64, 256, 900, 900])
    expect([1, 2, 3, 9, 10].map((n) => sendRetryDelayMs('130429', n) / 1000)).toEqual([1, 2, 4, 256, 300])
  })
})
