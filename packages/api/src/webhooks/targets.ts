import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { BlockList, isIP } from 'node:net'

/**
 * Where webhooks may be sent (decision 018): never to loopback, private, link-local, shared, documentation, multicast
 * or reserved addresses (SSRF: a URL typed by a customer must not reach our own network or a cloud metadata
 * endpoint), unless the install allows them (WEBHOOKS_ALLOW_PRIVATE_TARGETS: `true`, or a list of addresses and
 * CIDR ranges, e.g. a self-hosted n8n on 10.0.0.5). Every address a name resolves to is checked, at connection time
 * (so a name that changes its answer between a check and the request gains nothing), and redirects are never followed.
 */
export interface TargetPolicy {
  /** Private targets allowed: all of them, some ranges, or none. */
  allowPrivate: boolean | string[]
}

/** The setting as parsed from the environment: `false` (default), `true`, or addresses and ranges. */
export function targetPolicy(allowPrivate: boolean | string[] = false): TargetPolicy {
  return { allowPrivate }
}

export const strictTargets: TargetPolicy = { allowPrivate: false }

const blockedV4 = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blockedV4.addSubnet(net, bits, 'ipv4')

const blockedV6 = new BlockList()
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blockedV6.addSubnet(net, bits, 'ipv6')

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tails included), or null. */
function ipv6Groups(address: string): number[] | null {
  let a = address.split('%')[0]!.toLowerCase()
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a)
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number)
    a = a.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`
  }
  const [head, tail] = a.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  if (groups.length !== 8) return null
  return groups.map((g) => parseInt(g || '0', 16))
}

/** IPv4 addresses carried inside IPv6 ones (mapped, NAT64, 6to4) are judged as the IPv4 address they carry. */
function embeddedV4(groups: number[]): string | null {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0)
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!)
  if (zeros(0, 6)) return v4(groups[6]!, groups[7]!)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!)
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!)
  return null
}

/** True for an address no webhook may reach under the default policy. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blockedV4.check(address, 'ipv4')
  if (family !== 6) return true
  const groups = ipv6Groups(address)
  if (!groups) return true
  const v4 = embeddedV4(groups)
  if (v4) return isPrivateAddress(v4)
  return blockedV6.check(address.split('%')[0]!, 'ipv6')
}

function allowedList(ranges: string[]): BlockList {
  const list = new BlockList()
  for (const r of ranges) {
    const [base, bits] = r.split('/') as [string, string | undefined]
    const family = isIP(base) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(base, family)
    else list.addSubnet(base, Number(bits), family)
  }
  return list
}

const allowedCache = new WeakMap<string[], BlockList>()

/** Whether the policy lets a webhook reach this address. */
export function isAllowedAddress(address: string, policy: TargetPolicy): boolean {
  if (!isPrivateAddress(address)) return true
  const allow = policy.allowPrivate
  if (allow === true) return true
  if (allow === false || !allow.length) return false
  let list = allowedCache.get(allow)
  if (!list) allowedCache.set(allow, (list = allowedList(allow)))
  const family = isIP(address)
  return family === 4 ? list.check(address, 'ipv4') : family === 6 ? list.check(address, 'ipv6') : false
}

/** Thrown (and recorded on the delivery as `refused_target`) when a target resolves to a forbidden address. */
export class TargetRefusedError extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED'
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`webhook target ${host} resolves to ${address}, which is not allowed`)
    this.name = 'TargetRefusedError'
  }
}

/** The host of a URL as an address when it is one (brackets of IPv6 literals removed), else null. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return isIP(host) ? host : null
}

/**
 * What can be said about a URL without asking DNS (when an endpoint is saved): a literal address or a `localhost`
 * name the policy refuses. The delivery checks again, with every address the name resolves to.
 */
export function refusedLiteralTarget(url: URL, policy: TargetPolicy): boolean {
  const address = literalAddress(url)
  if (address) return !isAllowedAddress(address, policy)
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return !isAllowedAddress('127.0.0.1', policy)
  return false
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/**
 * A `lookup` for http.request/net.connect that resolves every address of the name and refuses the connection if any
 * of them is forbidden (so a name with one public and one private answer cannot be raced onto the private one).
 */
export function guardedLookup(policy: TargetPolicy, base: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      const list = addresses as unknown as LookupAddress[]
      const bad = list.find((a) => !isAllowedAddress(a.address, policy))
      if (bad || !list.length)
        return callback(new TargetRefusedError(hostname, bad?.address ?? 'nothing') as NodeJS.ErrnoException, [])
      if (options.all) callback(null, list)
      else callback(null, list[0]!.address, list[0]!.family)
    })
  }
}
