import postgres from 'postgres'
import { scales, seedScale, type Scale } from '@impera/db/seed'
import { prepareStack } from './stack'

/**
 * `pnpm db:migrate` and `pnpm db:seed [--scale medium|large]`: against DATABASE_URL when set, else the embedded
 * database under .data/pg (started for the duration of the command). Migrate and the demo seed are idempotent (the
 * demo seed only fills an empty database); a scale seed adds its agencies once (skipped if they exist).
 */
const command = process.argv[2]
const scaleArg = process.argv.indexOf('--scale')
const scale = scaleArg > 0 ? process.argv[scaleArg + 1] : undefined
if ((command !== 'migrate' && command !== 'seed') || (scaleArg > 0 && !(scale && scale in scales))) {
  console.error('usage: db.ts migrate | seed [--scale medium|large]')
  process.exit(2)
}
if (command === 'migrate') process.env.SEED_DEMO = 'false'
const stack = await prepareStack({ production: false, log: (m) => console.log(m) })
try {
  if (scale) {
    const sql = postgres(stack.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    try {
      const [existing] = await sql`select count(*)::int as n from agencies where slug like ${`escala-${scale}-%`}`
      if (existing!.n) console.log(`the ${scale} seed is already loaded`)
      else await seedScale(sql, scale as Scale, (m) => console.log(m))
    } finally {
      await sql.end()
    }
  }
} finally {
  await stack.stop()
}
console.log(command === 'migrate' ? 'database is up to date' : 'database migrated and seeded')
