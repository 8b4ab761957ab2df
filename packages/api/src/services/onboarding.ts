import { agencies, and, eq, isNull, sql } from '@impera/db'
import type { AgencyCtx } from '../ctx'
import { audit } from './audit'

/** A new agency's first steps, in the order the checklist shows them. */
export const onboardingSteps = ['team', 'whatsapp', 'leads', 'property', 'distribution'] as const
export type OnboardingStep = (typeof onboardingSteps)[number]

/**
 * The "first steps" checklist on a new agency's home page (issue 18): invite the team, connect WhatsApp (the sandbox
 * counts), bring the leads in, add a property, set the distribution rules. Each step is read from the data itself, so
 * one done anywhere (an import through the API, a property typed by an agent) is done here too. Managers only.
 */
export async function onboardingChecklist(ctx: AgencyCtx) {
  const id = ctx.actor.agencyId
  const [row] = await ctx.db.execute<Record<OnboardingStep, boolean> & { dismissed: boolean }>(sql`
    select
      (select onboarding_dismissed_at is not null from agencies where id = ${id}) as dismissed,
      (select count(*) > 1 from memberships where agency_id = ${id})
        or exists (select 1 from invitations where agency_id = ${id} and revoked_at is null) as team,
      exists (select 1 from whatsapp_accounts where agency_id = ${id}) as whatsapp,
      exists (select 1 from leads where agency_id = ${id})
        or exists (select 1 from imports where agency_id = ${id}) as leads,
      exists (select 1 from properties where agency_id = ${id}) as property,
      exists (select 1 from distribution_rules where agency_id = ${id}) as distribution`)
  const steps = onboardingSteps.map((key) => ({ key, done: Boolean(row?.[key]) }))
  return { dismissed: Boolean(row?.dismissed), done: steps.every((s) => s.done), steps }
}

/** Puts the checklist away for the whole agency (audited); doing it again changes nothing. */
export async function dismissOnboarding(ctx: AgencyCtx) {
  const [changed] = await ctx.db
    .update(agencies)
    .set({ onboardingDismissedAt: new Date() })
    .where(and(eq(agencies.id, ctx.actor.agencyId), isNull(agencies.onboardingDismissedAt)))
    .returning({ id: agencies.id })
  if (changed) await audit(ctx, 'agency.onboarding.dismiss', { entity: 'agency', entityId: ctx.actor.agencyId })
  return { dismissed: true }
}
