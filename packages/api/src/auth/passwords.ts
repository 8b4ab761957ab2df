import { hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'

// @node-rs/argon2 defaults are Argon2id, m=19 MiB, t=2, p=1: the OWASP minimum. Spelled out so a library default
// change cannot weaken them silently. (Algorithm 2 = Argon2id in its const enum.)
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** Verifying against this when the account does not exist keeps sign-in timing the same either way. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('impera-timing-equaliser-not-a-password')
  return dummyHash
}

const localCommon = [
  'senha123',
  'senha1234',
  'senha12345',
  'mudar123',
  'mudar@123',
  'brasil123',
  'imobiliaria',
  'imobiliaria123',
  'corretor123',
  'impera123',
  'impera1234',
]
const common = new Set<string>(
  [...(dictionary['passwords-common'] as string[]), ...localCommon].map((p) => p.toLowerCase()),
)

/** ASVS 6.2.4: reject passwords found in a list of common ones (≈49k entries shipped offline). */
export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase())
}
