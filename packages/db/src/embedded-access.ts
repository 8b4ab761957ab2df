import { execFileSync } from 'node:child_process'
import { statSync } from 'node:fs'
import path from 'node:path'

/** An OS account as the kernel checks it: its uid and every group it belongs to. */
export interface Account {
  uid: number
  gids: number[]
}

type Stat = (p: string) => { uid: number; gid: number; mode: number }

/**
 * The existing directories on the way to (and including) each path that `account` may not enter (no search
 * permission), in order. Directories that do not exist yet are not checked: whoever creates them later sets their mode.
 * `account` null means the user does not exist yet (it will be created with its own group), so only the permission
 * bits for others count.
 */
export function blockedDirectories(
  paths: string[],
  account: Account | null,
  stat: Stat = statSync,
): { dir: string; mode: number }[] {
  const blocked = new Map<string, number>()
  for (const target of paths) {
    const absolute = path.resolve(target)
    const { root } = path.parse(absolute)
    const parts = absolute.slice(root.length).split(path.sep).filter(Boolean)
    for (let i = 0; i <= parts.length; i++) {
      const dir = path.join(root, ...parts.slice(0, i))
      let st: ReturnType<Stat>
      try {
        st = stat(dir)
      } catch {
        break
      }
      const bit = account && st.uid === account.uid ? 0o100 : account && account.gids.includes(st.gid) ? 0o010 : 0o001
      if ((st.mode & bit) === 0) blocked.set(dir, st.mode & 0o777)
    }
  }
  return [...blocked].map(([dir, mode]) => ({ dir, mode }))
}

/** The `postgres` OS account the embedded server runs as under root, or null if it does not exist yet. */
export function postgresAccount(): Account | null {
  try {
    const id = (flag: string) =>
      execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return { uid: Number(id('-u')), gids: id('-G').split(/\s+/).map(Number) }
  } catch {
    return null
  }
}

/**
 * Run as root, the embedded server runs as the `postgres` user, which must enter every directory above its data and
 * its binaries. A checkout under a private directory (e.g. /root, mode 700) otherwise fails deep inside initdb with a
 * bare EACCES; this says what to do instead, in one line.
 */
export function embeddedAccessProblem(paths: string[], account: Account | null, stat?: Stat): string | null {
  const blocked = blockedDirectories(paths, account, stat)
  if (!blocked.length) return null
  const listed = blocked.map((b) => `${b.dir} (mode ${b.mode.toString(8).padStart(3, '0')})`).join(', ')
  return (
    `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${listed}: ` +
    `move the checkout under a directory others can enter (e.g. /srv or /opt), or run \`chmod o+x ${blocked.map((b) => b.dir).join(' ')}\`, ` +
    `or set DATABASE_URL to a PostgreSQL server of your own.`
  )
}
