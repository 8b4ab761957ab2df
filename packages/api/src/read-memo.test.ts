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
