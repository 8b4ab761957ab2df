import { prepareStack, printWelcome, runProcesses } from './stack'

const log = (m: string) => console.log(m)
const stack = await prepareStack({ production: false, log })
runProcesses(
  stack,
  [
    { name: 'web', cwd: 'apps/web', args: ['--import', 'tsx', 'server/main.ts'] },
    { name: 'worker', cwd: 'apps/worker', args: ['--import', 'tsx', 'src/main.ts'] },
  ],
  log,
)
printWelcome(stack.env.PORT!, log)
