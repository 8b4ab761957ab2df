import { sql } from 'drizzle-orm'
import { boolean, check, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { themes, userKinds } from '../enums'
import { appPlatform, appRls, currentAgencyId, currentUserId, imperaApp } from './_rls'

export const userKind = pgEnum('user_kind', userKinds)

/**
 * Profiles, keyed by the identity provider's user id (Supabase `sub`, or our own id in local mode).
 * Global, not tenant-owned: a person may belong to several agencies.
 */
export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    phone: text(),
    avatarUrl: text(),
    locale: text().notNull().default('pt-BR'),
    /** Light, dark, or whatever the device says (decided before the first paint, so a page never flashes). */
    theme: text().$type<(typeof themes)[number]>().notNull().default('system'),
    isPlatformAdmin: boolean().notNull().default(false),
    /** 'integration': the principal an agency's integration acts as; it has no credentials and no membership. */
    kind: userKind().notNull().default('person'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    check('users_theme_check', sql`${t.theme} in ('system', 'light', 'dark')`),
    pgPolicy('users_member_select', {
      for: 'select',
      to: appRls,
      // Members see their colleagues, and the integrations of their agency (named on timelines as who changed what).
      using: sql`${t.id} = ${currentUserId} or ${t.id} in (select m.user_id from memberships m where m.agency_id = ${currentAgencyId}) or ${t.id} in (select i.user_id from integrations i where i.agency_id = ${currentAgencyId})`,
    }),
    pgPolicy('users_self_update', {
      for: 'update',
      to: appRls,
      using: sql`${t.id} = ${currentUserId}`,
      withCheck: sql`${t.id} = ${currentUserId}`,
    }),
    pgPolicy('users_platform_all', { for: 'all', to: appPlatform, using: sql`true`, withCheck: sql`true` }),
    pgPolicy('users_system_all', { for: 'all', to: imperaApp, using: sql`true`, withCheck: sql`true` }),
  ],
)

export type User = typeof users.$inferSelect
