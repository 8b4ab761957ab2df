import { randomBytes } from 'node:crypto'
import { hash } from '@node-rs/argon2'
import type { DbOrTx } from '../client'
import { agencies, localCredentials, memberships, users } from '../schema'

/**
 * Tiny composable writers shared by tests and the seed. They run as the owner (fixtures), so RLS does not apply;
 * the code under test never uses them.
 */
const uniq = () => randomBytes(4).toString('hex')

export async function insertAgency(db: DbOrTx, overrides: Partial<typeof agencies.$inferInsert> = {}) {
  const id = uniq()
  const [row] = await db
    .insert(agencies)
    .values({ name: `Agência ${id}`, slug: `agencia-${id}`, ...overrides })
    .returning()
  return row!
}

let cachedHash: { password: string; hash: string } | undefined
async function passwordHash(password: string) {
  if (cachedHash?.password !== password) cachedHash = { password, hash: await hash(password, { algorithm: 2 }) }
  return cachedHash.hash
}

export async function insertUser(
  db: DbOrTx,
  overrides: Partial<typeof users.$inferInsert> & { password?: string | null } = {},
) {
  const { password = 'correct horse battery', ...rest } = overrides
  const id = uniq()
  const [row] = await db
    .insert(users)
    .values({ email: `user-${id}@example.test`, name: `Pessoa ${id}`, ...rest })
    .returning()
  if (password)
    await db.insert(localCredentials).values({ userId: row!.id, passwordHash: await passwordHash(password) })
  return row!
}

export async function addMember(
  db: DbOrTx,
  input: { agencyId: string; userId: string; role: 'manager' | 'agent'; status?: 'active' | 'deactivated' },
) {
  const [row] = await db.insert(memberships).values(input).returning()
  return row!
}
