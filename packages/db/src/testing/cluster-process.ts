import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface ClusterInfo {
  ownerUrlTemplate: string
  appPassword: string
  port: number
}

/** Starts cli/test-cluster.ts in a child process and resolves once it reports READY. */
export function spawnTestCluster(
  templateDb: string,
  appPassword: string,
): Promise<{ info: ClusterInfo; child: ChildProcess; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('../cli/test-cluster.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script, templateDb, appPassword], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let buf = ''
    child.on('exit', (code) => reject(new Error(`test cluster exited early with code ${code}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      const line = buf.split('\n').find((l) => l.startsWith('READY '))
      if (!line) return
      const info = JSON.parse(line.slice(6)) as ClusterInfo
      resolve({
        info,
        child,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit')
            child.on('exit', () => done())
            child.stdin!.end()
          }),
      })
    })
  })
}
