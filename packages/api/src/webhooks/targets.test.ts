import { describe, expect, it } from 'vitest'
import { guardedLookup, isAllowedAddress, isPrivateAddress, refusedLiteralTarget, targetPolicy } from './targets'

describe('webhook targets', () => {
  it('refuses loopback, private, link-local, shared, multicast and reserved addresses, in either family', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:c0a8:1::',
      'not an address',
    ])
      expect(isPrivateAddress(a), a).toBe(true)
    for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(a), a).toBe(false)
  })

  it('lets the install allow all private targets, or only some ranges', () => {
    expect(isAllowedAddress('10.0.0.5', targetPolicy(false))).toBe(false)
    expect(isAllowedAddress('10.0.0.5', targetPolicy(true))).toBe(true)
    const some = targetPolicy(['10.0.0.0/24', '::1'])
    expect(isAllowedAddress('10.0.0.5', some)).toBe(true)
    expect(isAllowedAddress('10.0.1.5', some)).toBe(false)
    expect(isAllowedAddress('::1', some)).toBe(true)
    expect(isAllowedAddress('127.0.0.1', some)).toBe(false)
    expect(isAllowedAddress('8.8.8.8', some)).toBe(true)
  })

  it('judges literal hosts and localhost names before any DNS answer', () => {
    const strict = targetPolicy(false)
    expect(refusedLiteralTarget(new URL('http://127.0.0.1:3000/x'), strict)).toBe(true)
    expect(refusedLiteralTarget(new URL('http://[::ffff:169.254.169.254]/'), strict)).toBe(true)
    expect(refusedLiteralTarget(new URL('http://0x7f000001/'), strict)).toBe(true)
    expect(refusedLiteralTarget(new URL('http://api.localhost/'), strict)).toBe(true)
    expect(refusedLiteralTarget(new URL('https://hooks.example.com/x'), strict)).toBe(false)
  })

  it('refuses a name when any of its addresses is private', async () => {
    const resolve = (answers: { address: string; family: number }[]) =>
      ((_h: string, _o: unknown, cb: (e: null, a: typeof answers) => void) => cb(null, answers)) as never
    const lookup = (answers: { address: string; family: number }[]) =>
      new Promise<unknown>((ok, fail) =>
        guardedLookup(targetPolicy(false), resolve(answers))('hooks.test', { all: true }, (e, a) =>
          e ? fail(e) : ok(a),
        ),
      )
    await expect(lookup([{ address: '93.184.216.34', family: 4 }])).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
    ])
    await expect(
      lookup([
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]),
    ).rejects.toMatchObject({ code: 'ERR_WEBHOOK_TARGET_REFUSED', address: '10.0.0.7' })
  })
})
