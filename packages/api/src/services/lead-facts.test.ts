import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [path.join(dir, e.name)]
        : [],
  )
}

describe('one owner per lead fact', () => {
  it('only lead-facts.ts writes lead history or creates leads (any other path would skip the audit, the notification or the signal)', () => {
    const writers = sources(SRC)
      .filter((f) => /\.insert\(\s*(leadEvents|leads)\s*\)/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f))
    expect(writers).toEqual(['services/lead-facts.ts'])
  })
})
