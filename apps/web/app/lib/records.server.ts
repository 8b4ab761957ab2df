import type { AppLoadContext } from '@remix-run/node'
import { formatPhone } from '@impera/api/phones'

/** What every record page (leads, clients, properties) needs besides its own data: the agency's currency and phone country, and the assignees. */
export async function recordsPageContext(context: AppLoadContext) {
  const caller = await context.scope.caller()
  const [agency, assignees] = await Promise.all([caller.agency.get(), caller.leads.assignees()])
  return {
    caller,
    currency: agency.currency,
    country: agency.defaultPhoneCountry,
    timezone: agency.timezone,
    assignees: assignees.map((a) => ({ userId: a.userId, name: a.name })),
  }
}

export function displayPhones(phones: string[], country: string): string[] {
  return phones.map((p) => formatPhone(p, country))
}

/** A record's WhatsApp thread for its page (the latest messages and the number's templates), or null without one. */
export async function recordThread(
  caller: Awaited<ReturnType<AppLoadContext['scope']['caller']>>,
  conversation: { id: string } | null,
) {
  if (!conversation) return null
  const detail = await caller.whatsapp.conversation({ id: conversation.id })
  const templates = await caller.whatsapp.templates({ accountId: detail.conversation.accountId })
  return {
    conversation: detail.conversation,
    messages: detail.messages,
    timeline: detail.timeline,
    canEdit: detail.canEdit,
    templates,
  }
}

/**
 * Before a record's first conversation: the agency's numbers and the record's phones, for the "WhatsApp" button to
 * offer a choice when there is more than one (null once a conversation exists: the button opens it).
 */
export async function whatsappStartChoices(
  caller: Awaited<ReturnType<AppLoadContext['scope']['caller']>>,
  conversation: { id: string } | null,
  phones: { e164: string; display: string }[],
) {
  if (conversation) return null
  const accounts = await caller.whatsapp.accounts()
  return {
    accounts: accounts.map((a) => ({ id: a.id, label: [a.label, a.displayNumber].filter(Boolean).join(' · ') })),
    phones,
  }
}
