import { parseArgs } from 'node:util'
import { openSandbox } from './sandbox-contact'

/**
 * `pnpm wa:simulate --from "+55 11 98888-7777" --text "Oi!" [--name "Maria"] [--agency horizonte] [--url http://localhost:3000]`
 *
 * A contact writing to an agency's sandbox number, from the command line, while `pnpm dev` (or `start`) runs.
 */
const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    text: { type: 'string' },
    name: { type: 'string' },
    agency: { type: 'string', default: 'horizonte' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 3000}` },
  },
})
if (!values.from || !values.text) {
  console.error(
    'usage: pnpm wa:simulate --from "+55 11 98888-7777" --text "Oi!" [--name Maria] [--agency horizonte] [--url http://localhost:3000]',
  )
  process.exit(2)
}
try {
  const sandbox = await openSandbox(values.agency!)
  try {
    await sandbox.deliver(values.url!, { from: values.from, name: values.name, text: values.text })
    console.log(`delivered to ${sandbox.account.display_number}: "${values.text}" from ${values.from}`)
  } finally {
    await sandbox.sql.end()
  }
} catch (e) {
  console.error((e as Error).message)
  process.exitCode = 1
}
