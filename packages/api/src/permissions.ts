/**
 * The one permission table (role → actions). tRPC middleware enforces it; the UI reads the same table to hide or
 * disable actions, so the two cannot drift.
 */
export const roles = ['platform_admin', 'manager', 'agent'] as const
export type Role = (typeof roles)[number]
export type AgencyRole = Exclude<Role, 'platform_admin'>

export const actions = [
  'agency.read',
  'agency.settings.update',
  'members.read',
  'members.invite',
  'members.update',
  'audit.read',
  'records.read',
  'records.write',
  'records.delete',
  'integrations.manage',
  'records.import',
  /** A person's data (LGPD): export everything about them, anonymise them. */
  'privacy.manage',
  /** The whole agency as a download (CSV per entity and the files). */
  'agency.export',
  'platform.agencies.manage',
  'platform.overview.read',
] as const
export type Action = (typeof actions)[number]

const table: Record<Role, readonly Action[]> = {
  platform_admin: ['platform.agencies.manage', 'platform.overview.read'],
  manager: [
    'agency.read',
    'agency.settings.update',
    'members.read',
    'members.invite',
    'members.update',
    'audit.read',
    'records.read',
    'records.write',
    'records.delete',
    'integrations.manage',
    'records.import',
    'privacy.manage',
    'agency.export',
  ],
  agent: ['agency.read', 'members.read', 'records.read', 'records.write'],
}

export function can(role: Role | null | undefined, action: Action): boolean {
  return role ? table[role].includes(action) : false
}

export function permissionsOf(role: Role): readonly Action[] {
  return table[role]
}

/** Moving records to the trash, also in bulk (decision 028). */
export function canTrash(role: AgencyRole): boolean {
  return can(role, 'records.delete')
}
