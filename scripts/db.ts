import { prepareStack } from './stack'

/**
 * `pnpm db:migrate` and `pnpm db:seed`: against DATABASE_URL when set, else the embedded database under .data/pg
 * (started for the duration of the command). Both are idempotent; the seed only fills an empty database.
 */
const command = process.argv[2]
if (command !== 'migrate' && command !== 'seed') {
  console.error('usage: db.ts migrate|seed')
  process.exit(2)
}
if (command === 'migrate') process.env.SEED_DEMO = 'false'
const stack = await prepareStack({ production: false, log: (m) => console.log(m) })
await stack.stop()
console.log(command === 'migrate' ? 'database is up to date' : 'database migrated and seeded (if it was empty)')
