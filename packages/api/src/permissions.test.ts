import { describe, expect, it } from 'vitest'
import { actions, can, roles } from './permissions'

describe('permission table', () => {
  it('agents work records but cannot delete, manage members or settings', () => {
    expect(can('agent', 'records.write')).toBe(true)
    for (const a of [
      'records.delete',
      'members.invite',
      'members.update',
      'agency.settings.update',
      'audit.read',
    ] as const)
      expect(can('agent', a)).toBe(false)
  })

  it('managers can do everything in the agency and nothing on the platform', () => {
    for (const a of actions.filter((x) => !x.startsWith('platform.'))) expect(can('manager', a)).toBe(true)
    expect(can('manager', 'platform.agencies.manage')).toBe(false)
  })

  it('platform staff get no agency records', () => {
    expect(actions.filter((a) => can('platform_admin', a)).every((a) => a.startsWith('platform.'))).toBe(true)
  })

  it('no role means no permission', () => {
    expect(roles.length).toBe(3)
    expect(can(null, 'agency.read')).toBe(false)
  })
})
