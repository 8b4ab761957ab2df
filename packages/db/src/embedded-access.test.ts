import { describe, expect, it } from 'vitest'
import { blockedDirectories, embeddedAccessProblem, type Account } from './embedded-access'

const ROOT = { uid: 0, gid: 0 }
/** A file system as (uid, gid, mode) per directory; anything else does not exist. */
function fs(dirs: Record<string, { uid: number; gid: number; mode: number }>) {
  return (p: string) => {
    const st = dirs[p]
    if (!st) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' })
    return st
  }
}
const postgres: Account = { uid: 101, gids: [104, 103] }

describe('embedded PostgreSQL access check (root runs it as the postgres user)', () => {
  it('finds a checkout under /root (mode 700) and names the directory, the fix and the way out', () => {
    const stat = fs({
      '/': { ...ROOT, mode: 0o755 },
      '/root': { ...ROOT, mode: 0o700 },
      '/root/impera': { ...ROOT, mode: 0o755 },
      '/root/impera/.data': { ...ROOT, mode: 0o755 },
    })
    expect(
      blockedDirectories(['/root/impera/.data', '/root/impera/node_modules/x/native/bin'], postgres, stat),
    ).toEqual([{ dir: '/root', mode: 0o700 }])
    const message = embeddedAccessProblem(['/root/impera/.data'], postgres, stat)!
    expect(message).not.toContain('\n')
    expect(message).toContain('/root (mode 700)')
    expect(message).toContain('chmod o+x /root')
    expect(message).toContain('DATABASE_URL')
    expect(message).toMatch(/move the checkout/)
  })

  it('lists every blocked parent, once, across the data and binary paths', () => {
    const stat = fs({
      '/': { ...ROOT, mode: 0o755 },
      '/home': { ...ROOT, mode: 0o750 },
      '/home/dev': { uid: 1000, gid: 1000, mode: 0o700 },
      '/home/dev/impera': { uid: 1000, gid: 1000, mode: 0o755 },
    })
    expect(
      blockedDirectories(['/home/dev/impera/.data', '/home/dev/impera/node_modules'], postgres, stat).map((b) => b.dir),
    ).toEqual(['/home', '/home/dev'])
    expect(embeddedAccessProblem(['/home/dev/impera/.data'], postgres, stat)).toContain('chmod o+x /home /home/dev')
  })

  it('accepts directories the postgres user may enter as owner, through one of its groups, or as anyone', () => {
    const stat = fs({
      '/': { ...ROOT, mode: 0o755 },
      '/srv': { uid: 101, gid: 0, mode: 0o700 },
      '/srv/shared': { uid: 0, gid: 103, mode: 0o710 },
      '/srv/shared/impera': { ...ROOT, mode: 0o711 },
    })
    expect(blockedDirectories(['/srv/shared/impera/.data/pg'], postgres, stat)).toEqual([])
    expect(embeddedAccessProblem(['/srv/shared/impera/.data/pg'], postgres, stat)).toBeNull()
  })

  it('counts only the bits for others when the postgres user does not exist yet', () => {
    const stat = fs({ '/': { ...ROOT, mode: 0o755 }, '/srv': { uid: 101, gid: 104, mode: 0o770 } })
    expect(blockedDirectories(['/srv/impera'], null, stat)).toEqual([{ dir: '/srv', mode: 0o770 }])
  })

  it('stops at the first directory that does not exist yet (it will be created enterable)', () => {
    const stat = fs({ '/': { ...ROOT, mode: 0o755 }, '/tmp': { ...ROOT, mode: 0o1777 } })
    expect(blockedDirectories(['/tmp/impera-test-pg-x/data'], postgres, stat)).toEqual([])
  })
})
