import { describe, expect, it } from 'vitest'
import { memoRead, withReadMemo } from './read-memo'

describe('memoRead', () => {
  it('reads every time outside a scope', async () => {
    let reads = 0
    const read = () => memoRead('k', async () => ++reads)
    expect([await read(), await read()]).toEqual([1, 2])
  })

  it('reads once per key inside a scope, and again in the next scope', async () => {
    let reads = 0
    const read = (key: string) => memoRead(key, async () => `${key}${++reads}`)
    expect(await withReadMemo(async () => [await read('a'), await read('a'), await read('b')])).toEqual([
      'a1',
      'a1',
      'b2',
    ])
    expect(await withReadMemo(() => read('a'))).toBe('a3')
  })

  it('does not keep a failed read', async () => {
    let reads = 0
    const read = () =>
      memoRead('k', async () => {
        if (++reads === 1) throw new Error('connection lost')
        return reads
      })
    await withReadMemo(async () => {
      await expect(read()).rejects.toThrow('connection lost')
      expect(await read()).toBe(2)
      expect(await read()).toBe(2)
    })
  })
})

describe('memoRead with a lazy thenable (a query builder)', () => {
  it('runs it once per scope however often it is awaited', async () => {
    let runs = 0
    const builder = { then: (ok: (v: number) => void) => ok(++runs) } as PromiseLike<number>
    await withReadMemo(async () => {
      expect(await memoRead('q', () => builder)).toBe(1)
      expect(await memoRead('q', () => builder)).toBe(1)
    })
    expect(runs).toBe(1)
  })
})
