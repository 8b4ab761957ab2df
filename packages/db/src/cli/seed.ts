import { createDb } from '../client'
import { DEMO_PASSWORD, demoLogins, seedDemo } from '../seed'
import { loadDbCliEnv } from './env'

const env = loadDbCliEnv()
const handle = createDb(env.DATABASE_URL, { max: 1 })
const seeded = await seedDemo(handle.db)
console.log(seeded ? 'demo data seeded' : 'database already has agencies; nothing seeded')
if (seeded) for (const l of demoLogins) console.log(`  ${l.role.padEnd(15)} ${l.email}  (${DEMO_PASSWORD})`)
await handle.close()
