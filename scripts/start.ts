import { existsSync } from 'node:fs'
import path from 'node:path'
import { prepareStack, printWelcome, ROOT, runProcesses } from './stack'

const log = (m: string) => console.log(m)
if (!existsSync(path.join(ROOT, 'apps/web/build/server/index.js'))) {
  console.error('No production build found: run `pnpm build` first.')
  process.exit(1)
}
const stack = await prepareStack({ production: true, log })
runProcesses(
  stack,
  [
    { name: 'web', cwd: 'apps/web', args: ['--import', 'tsx', 'server/main.ts'] },
    { name: 'worker', cwd: 'apps/worker', args: ['--import', 'tsx', 'src/main.ts'] },
  ],
  log,
)
printWelcome(stack.env.PORT!, log)
