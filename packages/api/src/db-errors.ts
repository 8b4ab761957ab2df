import { AppError, conflictField } from './errors'

interface PgErrorLike {
  code: string
  constraint_name?: string
  constraint?: string
}

/**
 * Unique constraints people can run into with a race the service's own check cannot close (two admins creating the
 * same slug at once): the field and message the service would have given.
 */
export const uniqueFields: Record<string, [field: string, message: string]> = {
  agencies_slug_unique: ['slug', 'admin.slugTaken'],
  clients_agency_document_key: ['document', 'clients.documentTaken'],
  properties_agency_code_key: ['code', 'properties.codeTaken'],
  saved_views_owner_name_key: ['name', 'lists.viewNameTaken'],
  memberships_agency_user_key: ['email', 'members.alreadyMember'],
  whatsapp_accounts_provider_number_key: ['phoneNumberId', 'whatsapp.numberTaken'],
  quick_replies_scope_shortcut_key: ['shortcut', 'quickReplies.shortcutTaken'],
}

function findPgError(e: unknown): PgErrorLike | null {
  // Drizzle wraps the driver's error (DrizzleQueryError.cause); look a few causes deep.
  let current = e
  for (let depth = 0; depth < 4 && current; depth++) {
    const c = current as { code?: unknown; severity?: unknown; routine?: unknown; cause?: unknown }
    if (
      typeof c.code === 'string' &&
      /^[0-9A-Z]{5}$/.test(c.code) &&
      (c.severity !== undefined || c.routine !== undefined)
    )
      return c as PgErrorLike
    current = c.cause
  }
  return null
}

/**
 * The last line behind the schemas: a database error that means "this input cannot be stored" becomes a 4xx instead
 * of a 500. Class 22 (data exceptions: a value out of range, a character Postgres refuses, an impossible date) and the
 * integrity errors a request can cause (23505 unique, 23503 foreign key, 23514 check). Anything else stays a 500.
 */
export function databaseInputError(e: unknown): AppError | null {
  const pg = findPgError(e)
  if (!pg) return null
  const constraint = pg.constraint_name ?? pg.constraint ?? ''
  if (pg.code === '23505') {
    const field = uniqueFields[constraint]
    if (field) return conflictField(field[0], field[1])
    return new AppError('CONFLICT', `unique violation ${constraint}`, { userMessage: 'errors.conflict', cause: e })
  }
  if (pg.code === '23503')
    return new AppError('INVALID_INPUT', `foreign key violation ${constraint}`, {
      userMessage: 'errors.invalidReference',
      cause: e,
    })
  if (pg.code === '23514')
    return new AppError('INVALID_INPUT', `check violation ${constraint}`, {
      userMessage: 'errors.invalidInput',
      cause: e,
    })
  if (pg.code.startsWith('22'))
    return new AppError('INVALID_INPUT', `data exception ${pg.code}`, { userMessage: 'errors.invalidInput', cause: e })
  return null
}
