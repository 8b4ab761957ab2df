import { loadDbCliEnv } from './env'
import { migrateDatabase } from '../migrate'

const env = loadDbCliEnv()
await migrateDatabase({ ownerUrl: env.DATABASE_URL, appPassword: env.APP_DB_PASSWORD, log: console.log })
