import { and, desc, eq, isNull, leadProperties, leads, properties, sql } from '@impera/db'
import type { LeadSource, PortalKind } from '@impera/db/enums'
import type { AgencyCtx } from '../ctx'
import type { TLeadIntakeInput } from '../schemas/inquiries'
import { asMember, createLeadRecord, recordLeadChange, type LeadWriter } from './lead-facts'
import { recordConsent } from './consent'
import { contactHolders, normalizeRecordPhones } from './records'
import { distributeLead } from './distribution'

/**
 * A person reached out from outside (a portal's form, a site, a landing page, an ad): the one owner of what that
 * makes (decision 022). Whoever is already a lead by the same phone or e-mail gets the new contact on their timeline;
 * anyone else becomes a new lead, given to the agent of the listing they wrote about, else by the agency's rule for
 * new leads. The listing is linked to the lead; the message, the channel and the campaign go on the timeline.
 */
export interface Inquiry {
  name: string | null
  /** E.164, already normalised by the caller (each channel has its own phone shapes). */
  phones: string[]
  /** Lower-cased, already checked. */
  email: string | null
  source: LeadSource
  /** How the contact came, as people say it ("Viva Real", "Landing Jardins"): the lead's source detail. */
  channel: string
  message: string | null
  /** The agency's own listing code as the contact's channel sent it, or the listing's id (the public API). */
  listing: { code: string } | { id: string } | null
  portal?: PortalKind
  utm?: Record<string, string> | null
  consent?: { marketing: boolean; text: string | null } | null
  /** A name when the contact gave none (a portal's lead id). */
  fallbackName: string
}

export interface InquiryResult {
  outcome: 'created' | 'merged'
  leadId: string
  propertyId: string | null
}

export async function takeInquiry(w: LeadWriter, inquiry: Inquiry): Promise<InquiryResult> {
  const { db, agencyId } = w
  // Two contacts from the same person at once (a portal and the site, or a double submit) must make one lead.
  for (const key of [...inquiry.phones, inquiry.email].filter(Boolean).sort())
    await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`contact:${agencyId}:${key}`}, 0))`)
  const listing = inquiry.listing
  const [property] = listing
    ? await db
        .select({
          id: properties.id,
          code: properties.code,
          title: properties.title,
          purpose: properties.purpose,
          assignedTo: properties.assignedTo,
        })
        .from(properties)
        .where(
          and(
            eq(properties.agencyId, agencyId),
            isNull(properties.deletedAt),
            'code' in listing ? sql`lower(${properties.code}) = lower(${listing.code})` : eq(properties.id, listing.id),
          ),
        )
    : []
  const [existing] =
    inquiry.phones.length || inquiry.email
      ? await db
          .select({ id: leads.id })
          .from(leads)
          .where(
            and(
              eq(leads.agencyId, agencyId),
              isNull(leads.deletedAt),
              sql`${leads.id} in (${contactHolders('leads', inquiry)})`,
            ),
          )
          .orderBy(desc(leads.updatedAt))
          .limit(1)
      : []
  let leadId: string
  if (existing) {
    leadId = existing.id
  } else {
    const created = await createLeadRecord(w, {
      name: inquiry.name || inquiry.phones[0] || inquiry.email || inquiry.fallbackName,
      phones: inquiry.phones,
      email: inquiry.email,
      source: inquiry.source,
      sourceDetail: inquiry.channel,
      interest: property ? (property.purpose === 'rent' ? 'rent' : 'buy') : null,
    })
    leadId = created.id
    // The listing's agent first, then the agency's rules (decision 027).
    await distributeLead(w, { leadId, propertyId: property?.id ?? null })
  }
  const fact = {
    portal: inquiry.portal ?? null,
    channel: inquiry.channel,
    message: inquiry.message,
    listingCode: listing && 'code' in listing ? listing.code : (property?.code ?? null),
    propertyId: property?.id ?? null,
    utm: inquiry.utm ?? null,
    consent: inquiry.consent ?? null,
  }
  await recordLeadChange(w, { leadId, audit: 'lead.inquiry', after: fact }, [{ kind: 'inquiry', ...fact }])
  // A ticked marketing box is the person's consent (decision 037), with the form's wording; an unticked one says
  // nothing about an earlier choice, so it records nothing.
  if (inquiry.consent?.marketing)
    await recordConsent(
      db,
      { agencyId, actorUserId: w.actorUserId, ip: w.ip },
      { leadId },
      {
        granted: true,
        basis: 'consent',
        source: inquiry.portal ? 'portal' : 'intake',
        textVersion: inquiry.consent.text,
        evidence: { channel: inquiry.channel },
      },
    )
  if (property) {
    const linked = await db
      .insert(leadProperties)
      .values({ agencyId, leadId, propertyId: property.id, createdBy: w.actorUserId })
      .onConflictDoNothing()
      .returning({ leadId: leadProperties.leadId })
    if (linked.length)
      await recordLeadChange(w, { leadId, audit: 'lead.property.link', after: { propertyId: property.id } }, [
        { kind: 'property_linked', propertyId: property.id, code: property.code, title: property.title },
      ])
  }
  // The lead moves up in lists ordered by activity, like any other change.
  await db
    .update(leads)
    .set({ updatedAt: new Date() })
    .where(and(eq(leads.agencyId, agencyId), eq(leads.id, leadId)))
  return { outcome: existing ? 'merged' : 'created', leadId, propertyId: property?.id ?? null }
}

/**
 * The public API's intake (`POST /api/v1/leads/intake`): the person's phones are read like the lead form's (an
 * unreadable one is refused with its index), the rest as `takeInquiry` says.
 */
export async function intakeLead(ctx: AgencyCtx, input: TLeadIntakeInput): Promise<InquiryResult> {
  const phones = normalizeRecordPhones(ctx.actor, input.person.phones)
  const utm = input.utm ? Object.fromEntries(Object.entries(input.utm).filter(([, v]) => v)) : null
  return takeInquiry(asMember(ctx), {
    name: input.person.name || null,
    phones,
    email: input.person.email ?? null,
    source: input.source,
    channel: input.channel,
    message: input.message || null,
    listing: input.property ?? null,
    utm: utm && Object.keys(utm).length ? (utm as Record<string, string>) : null,
    consent: input.consent ? { marketing: input.consent.marketing, text: input.consent.text ?? null } : null,
    fallbackName: input.channel,
  })
}
