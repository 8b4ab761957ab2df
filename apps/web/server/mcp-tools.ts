import type { AgencyCtx } from '@impera/api'
import { AppError } from '@impera/api/errors'
import {
  consentFilterValues,
  ZRecordConsentInput,
  ZAddLeadNoteInput,
  ZAgentTurn,
  ZTurnActions,
  ZTurnMessage,
  ZConversationInput,
  ZConversationStatusInput,
  ZListConversationsInput,
  ZListLeadsInput,
  ZMatchPropertiesInput,
  ZSendWhatsappInput,
  ZSetLeadStatusInput,
  ZUpdateLeadInput,
  integrationScopes,
  leadInterests,
  leadSortValues,
  leadStatuses,
  lostReasons,
  propertyTypes,
} from '@impera/api/schemas'
import {
  addLeadNote,
  executeTurn,
  turnAuthorOf,
  getConsent,
  getConversation,
  getLead,
  getVisibleLead,
  listConversations,
  listLeads,
  matchProperties,
  MATCH_POINTS,
  queueWhatsappMessage,
  setConsent,
  setConversationStatus,
  setLeadStatus,
  updateLead,
} from '@impera/api/services'
import { conversationStatuses } from '@impera/db/enums'
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import { z, type ZodType } from 'zod'

/**
 * The MCP server's tools. Each is a thin adapter: its arguments (a plain JSON schema a model can read) are handed to
 * the service's own input schema, then to the service, in the integration's fenced transaction (see mcp.ts). No tool
 * has rules of its own; what it may touch is the integration's scopes (one per tool) and the services' checks.
 */

type Scope = (typeof integrationScopes)[number]

export interface ToolOutput {
  /** The service's answer, as JSON (structured content). */
  data: Record<string, unknown>
  /** A short rendering for clients and models that read text. */
  text: string
}

export interface McpTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string
  title: string
  description: string
  /** The scope a key needs to see and call the tool. */
  scope: Scope
  annotations: ToolAnnotations
  input: S
  /** `need` refuses the call, naming the scope, when the key lacks one the arguments ask for besides `scope`. */
  run: (ctx: AgencyCtx, args: z.infer<z.ZodObject<S>>, need: (scope: Scope) => void) => Promise<ToolOutput>
}

const defineTool = <S extends z.ZodRawShape>(tool: McpTool<S>) => tool as unknown as McpTool

/**
 * A service input parsed by the service's own schema; a refusal is the AppError the web's forms get, its fields named
 * as the tool's arguments (`names` maps the service's field names back to them).
 */
function parse<T>(schema: ZodType<T>, raw: unknown, names: Record<string, string> = {}): T {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const fields: Record<string, string[]> = {}
  for (const issue of result.error.issues) {
    const [head, ...rest] = (issue.path[0] === 'data' ? issue.path.slice(1) : issue.path).map(String)
    const field = head === undefined ? '_' : [names[head] ?? head, ...rest].join('.')
    ;(fields[field] ??= []).push(issue.message)
  }
  throw new AppError('INVALID_INPUT', 'invalid tool arguments', {
    userMessage: 'errors.invalidInput',
    meta: { fields },
  })
}

const READ: ToolAnnotations = { readOnlyHint: true, openWorldHint: false }

const uuid = () => z.uuid().describe('A UUID, as returned by the other tools.')
const cursor = z.string().max(600).optional().describe('The `next` cursor of the previous page, to read the next one.')
const pageSize = z.number().int().min(5).max(100).optional().describe('Rows per page (5–100, default 25).')
const cents = (what: string) =>
  z
    .number()
    .int()
    .min(0)
    .nullable()
    .optional()
    .describe(`${what}, in integer cents of the agency's currency (R$ 500.000,00 is 50000000); null clears it.`)

const money = (cents: number | null | undefined) => (cents == null ? null : (cents / 100).toFixed(2))
const range = (min: number | null, max: number | null) =>
  min === null && max === null ? null : `${money(min) ?? '…'}–${money(max) ?? '…'}`
const clip = (text: string | null | undefined, max: number) =>
  !text ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text
const lines = (...parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join('\n')

function leadSummary(lead: {
  id: string
  name: string
  status: string
  interest: string | null
  budgetMin: number | null
  budgetMax: number | null
  propertyTypes?: string[]
  locations?: string[]
  minBedrooms?: number | null
  phones: string[]
  email: string | null
}) {
  return [
    `${lead.name} (${lead.id})`,
    lead.status,
    lead.interest,
    range(lead.budgetMin, lead.budgetMax) && `budget ${range(lead.budgetMin, lead.budgetMax)}`,
    lead.propertyTypes?.length && lead.propertyTypes.join('/'),
    lead.locations?.length && lead.locations.join(', '),
    lead.minBedrooms != null && `${lead.minBedrooms}+ bedrooms`,
    lead.phones[0] ?? lead.email,
  ]
    .filter(Boolean)
    .join(' · ')
}

const leadFields = {
  name: z.string().optional().describe('Full name.'),
  email: z.string().nullable().optional().describe('E-mail; null clears it.'),
  phones: z
    .array(z.string())
    .max(5)
    .optional()
    .describe("All of the lead's phones (replaces the list), in any format; Brazilian numbers are normalised."),
  interest: z.enum(leadInterests).nullable().optional().describe('buy or rent; null clears it.'),
  budgetMin: cents('Budget minimum'),
  budgetMax: cents('Budget maximum'),
  propertyTypes: z
    .array(z.enum(propertyTypes))
    .max(6)
    .optional()
    .describe('Property types wanted (replaces the list).'),
  locations: z.array(z.string()).max(20).optional().describe('Neighbourhoods or cities wanted (replaces the list).'),
  minBedrooms: z.number().int().min(0).max(20).nullable().optional().describe('Minimum bedrooms; null clears it.'),
  tags: z.array(z.string()).max(20).optional().describe('Tags (replaces the list).'),
}

export const mcpTools: McpTool[] = [
  defineTool({
    name: 'search_leads',
    title: 'Search leads',
    description:
      "Lists the agency's leads, newest first, filtered by a text query (name, e-mail or phone digits), pipeline status, interest, tags, assignee (\"unassigned\" or a member's id) or marketing consent. Pages by cursor; the total is exact up to 10,000. Use get_lead for one lead's history and notes.",
    scope: 'leads:read',
    annotations: { ...READ, title: 'Search leads' },
    input: {
      query: z.string().max(120).optional().describe('Text to find in name, e-mail or phone.'),
      status: z.array(z.enum(leadStatuses)).max(leadStatuses.length).optional(),
      interest: z.enum(leadInterests).optional(),
      tags: z.array(z.string()).max(10).optional().describe('Leads with any of these tags.'),
      assignee: z
        .union([z.literal('unassigned'), z.uuid()])
        .optional()
        .describe('"unassigned" or a member\'s user id.'),
      consent: z
        .enum(consentFilterValues)
        .optional()
        .describe('Marketing consent (LGPD): "granted", "revoked", or "none" (never asked). Market only to "granted".'),
      sort: z.enum(leadSortValues).optional().describe('Sort column (default createdAt).'),
      direction: z.enum(['asc', 'desc']).optional().describe('Sort direction (default desc).'),
      pageSize,
      cursor,
    },
    async run(ctx, a) {
      const page = await listLeads(
        ctx,
        parse(
          ZListLeadsInput,
          {
            q: a.query,
            status: a.status,
            interest: a.interest,
            tags: a.tags,
            assignee: a.assignee,
            consent: a.consent,
            sort: a.sort,
            dir: a.direction,
            pageSize: a.pageSize,
            after: a.cursor,
          },
          { q: 'query', dir: 'direction', after: 'cursor' },
        ),
      )
      return {
        data: { leads: page.rows, next: page.next, total: page.total },
        text: lines(
          `${page.total.count}${page.total.exact ? '' : '+'} leads; ${page.rows.length} here.`,
          ...page.rows.map((l) => `- ${leadSummary(l)}`),
          page.next && `More: call again with cursor "${page.next}".`,
        ),
      }
    },
  }),

  defineTool({
    name: 'get_lead',
    title: 'Get a lead',
    description:
      "One lead with what it is looking for (interest, budget, property types, locations, bedrooms), its pipeline status, assignee, marketing consent (LGPD: market only when granted), notes (newest first) and history (who changed what, an integration's changes under its name). To read its WhatsApp conversation, find it with search_conversations by the lead's phone.",
    scope: 'leads:read',
    annotations: { ...READ, title: 'Get a lead' },
    input: { id: uuid().describe("The lead's id.") },
    async run(ctx, a) {
      const out = await getLead(ctx, parse(z.object({ id: z.uuid('validation.invalidId') }), a))
      const { status: consent } = await getConsent(ctx, { leadId: out.lead.id })
      return {
        data: { ...out, consent },
        text: lines(
          leadSummary(out.lead),
          out.assigneeName ? `Assigned to ${out.assigneeName}.` : 'Unassigned.',
          `Marketing consent: ${consent === 'unknown' ? 'never asked (no marketing)' : consent}.`,
          `${out.notes.length} notes, ${out.events.length} history entries.`,
          ...out.notes.slice(0, 3).map((n) => `- note by ${n.authorName ?? 'someone'}: ${clip(n.body, 200)}`),
        ),
      }
    },
  }),

  defineTool({
    name: 'search_conversations',
    title: 'Search WhatsApp conversations',
    description:
      'Lists WhatsApp conversations, most recent first: by a text query (contact name, phone digits, or words from any message), only those waiting for a reply, only unassigned, or by what they are linked to. Each row has its lead or client id when linked, and whether the 24-hour window for free text is open (windowEndsAt). Use get_conversation for the messages.',
    scope: 'conversations:read',
    annotations: { ...READ, title: 'Search conversations' },
    input: {
      query: z.string().max(120).optional().describe('Contact name, phone digits, or words from the messages.'),
      waiting: z.boolean().optional().describe("Only conversations whose last message is the contact's, unanswered."),
      unassigned: z.boolean().optional().describe('Only conversations no member is assigned to.'),
      linked: z.enum(['lead', 'client', 'none']).optional().describe('Linked to a lead, a client, or nothing.'),
      pageSize,
      cursor,
    },
    async run(ctx, a) {
      const page = await listConversations(
        ctx,
        parse(
          ZListConversationsInput,
          {
            q: a.query,
            waiting: a.waiting,
            filter: a.unassigned ? 'unassigned' : 'all',
            linked: a.linked,
            pageSize: a.pageSize,
            after: a.cursor,
          },
          { q: 'query', after: 'cursor' },
        ),
      )
      const rows = page.rows.map(({ unread: _unread, ...r }) => r)
      return {
        data: { conversations: rows, next: page.next, total: page.total },
        text: lines(
          `${page.total.count}${page.total.exact ? '' : '+'} conversations; ${rows.length} here.`,
          ...rows.map(
            (c) =>
              `- ${c.displayName ?? c.contactPhone} (${c.id}) · ${c.contactPhone}${c.waiting ? ' · waiting for a reply' : ''}: ${clip(c.lastMessagePreview, 100)}`,
          ),
          page.next && `More: call again with cursor "${page.next}".`,
        ),
      }
    },
  }),

  defineTool({
    name: 'get_conversation',
    title: 'Get a WhatsApp conversation',
    description:
      'A WhatsApp conversation with its newest 50 messages (oldest first; `before` with the smallest `seq` you have reads the 50 before). Says whether the 24-hour window is open: outside it, send_message is refused and only an approved template can be sent from the inbox.',
    scope: 'conversations:read',
    annotations: { ...READ, title: 'Get a conversation' },
    input: {
      id: uuid().describe("The conversation's id."),
      before: z.number().int().min(1).optional().describe('Read the messages before this seq.'),
    },
    async run(ctx, a) {
      const out = await getConversation(ctx, parse(ZConversationInput, a))
      const c = out.conversation
      return {
        data: out,
        text: lines(
          `${c.displayName ?? c.contactPhone} (${c.contactPhone}) · ${out.messages.length} messages${out.hasMore ? ', more before' : ''} · window ${c.windowOpen ? `open until ${c.windowEndsAt?.toISOString()}` : 'closed'}`,
          `AI mode ${out.control.aiMode} · controlled by ${out.control.controller === 'bot' ? 'the bot' : out.control.controller === 'human' ? 'a person' : 'nobody yet'}`,
          out.lead && `Lead: ${out.lead.name}${out.lead.id ? ` (${out.lead.id})` : ''}`,
          ...out.messages
            .slice(-10)
            .map(
              (m) =>
                `- [${m.direction === 'inbound' ? 'contact' : m.author === 'member' ? (m.sentByName ?? 'us') : `${m.author}${m.sentByName ? `: ${m.sentByName}` : ''}`}] ${clip(m.body ?? `(${m.type})`, 200)}`,
            ),
        ),
      }
    },
  }),

  defineTool({
    name: 'match_properties',
    title: 'Match properties to a lead',
    description: [
      "Ranks the agency's available properties for a lead's criteria (leadId), or for criteria given here, or for the lead's with some replaced (a field given replaces the lead's; null clears it).",
      "Kept: available properties (not reserved, sold, rented or off the market) offered for the interest (buy: for sale or both; rent: for rent or both), of one of the wanted types when any are named, priced at most 10% above the budget's maximum.",
      `Points: ${MATCH_POINTS.neighbourhood} when the neighbourhood is one of the locations (${MATCH_POINTS.city} when only the city is; whole names, ignoring case and accents); ${MATCH_POINTS.within_budget} when the price (sale price for buyers, rent for renters) is within the budget, ${MATCH_POINTS.below_budget} below its minimum, ${MATCH_POINTS.slightly_above_budget} up to 10% above its maximum; ${MATCH_POINTS.bedrooms} with the bedrooms asked for, ${MATCH_POINTS.one_bedroom_less} with one fewer.`,
      'score is the points as a percentage of those the given criteria make possible (100 when no location, budget or bedrooms is given); ties go to the most recently updated. reasons lists what scored. Reading a lead also needs leads:read.',
    ].join(' '),
    scope: 'properties:read',
    annotations: { ...READ, title: 'Match properties' },
    input: {
      leadId: uuid().optional().describe("Use this lead's criteria (needs leads:read)."),
      interest: z.enum(leadInterests).nullable().optional(),
      propertyTypes: z.array(z.enum(propertyTypes)).max(6).optional(),
      budgetMin: cents('Budget minimum'),
      budgetMax: cents('Budget maximum'),
      locations: z.array(z.string()).max(20).optional().describe('Neighbourhoods or cities.'),
      minBedrooms: z.number().int().min(0).max(20).nullable().optional(),
      limit: z.number().int().min(1).max(50).optional().describe('How many to return (1–50, default 10).'),
    },
    async run(ctx, a, need) {
      if (a.leadId !== undefined) need('leads:read')
      const out = await matchProperties(ctx, parse(ZMatchPropertiesInput, a))
      return {
        data: out,
        text: lines(
          `${out.matches.length} properties${out.leadId ? ` for lead ${out.leadId}` : ''}, best first.`,
          ...out.matches.map(
            (p) =>
              `- ${p.code} ${p.title} (${p.id}) · score ${p.score} · ${money(p.price) ?? 'no price'} · ${[p.neighbourhood, p.city].filter(Boolean).join(', ')} · ${p.reasons.join(', ') || 'no criterion met'}`,
          ),
        ),
      }
    },
  }),

  defineTool({
    name: 'send_message',
    title: 'Send a WhatsApp message',
    description:
      "Sends a WhatsApp text to a conversation's contact, as the integration (the inbox shows its name). Only inside the 24-hour window after the contact's last message: outside it the call is refused (window closed) and a person must send an approved template. messageId is a UUID you choose: calling again with the same one never sends twice and returns the first message. The message is queued; its delivery status shows in get_conversation.",
    scope: 'conversations:reply',
    annotations: {
      title: 'Send a WhatsApp message',
      readOnlyHint: false,
      // Adds a message; nothing existing is changed. It reaches a person outside the CRM, and cannot be taken back.
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    input: {
      conversationId: uuid().describe("The conversation's id."),
      messageId: uuid().describe('A new UUID you choose for this message; reuse it to retry safely.'),
      text: z.string().max(4096).describe('The message text (up to 4096 characters).'),
    },
    async run(ctx, a) {
      const message = await queueWhatsappMessage(
        ctx,
        parse(
          ZSendWhatsappInput,
          { id: a.messageId, conversationId: a.conversationId, type: 'text', text: a.text },
          { id: 'messageId' },
        ),
      )
      return {
        data: { message },
        text: `Message ${message.id} is ${message.status} in conversation ${message.conversationId}.`,
      }
    },
  }),

  defineTool({
    name: 'set_conversation_status',
    title: 'Open, park or resolve a conversation',
    description:
      "Sets a conversation's status for the agency's team: open (needs someone), pending (waiting on something) or resolved (done). The contact writing again reopens a pending or resolved conversation by itself. The same status again changes nothing. The change is in the conversation's thread under the integration's name.",
    scope: 'conversations:reply',
    annotations: {
      title: 'Open, park or resolve a conversation',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    input: {
      conversationId: uuid().describe("The conversation's id."),
      status: z.enum(conversationStatuses).describe('open, pending or resolved.'),
    },
    async run(ctx, a) {
      const { status } = await setConversationStatus(
        ctx,
        parse(ZConversationStatusInput, { id: a.conversationId, status: a.status }, { id: 'conversationId' }),
      )
      return {
        data: { conversationId: a.conversationId, status },
        text: `Conversation ${a.conversationId} is ${status}.`,
      }
    },
  }),

  defineTool({
    name: 'post_turn',
    title: "Act as the conversation's AI agent",
    description:
      "The AI agent's turn on a conversation it controls (controller bot, AI mode auto): up to 3 messages (text, template, a listing as a card) and actions (qualification slots, a note, tags, a forward status move, listings to suggest, a handoff to a person with reason and summary), executed together. inReplyTo is the newest contact message you read (get_conversation): if the contact wrote since, or a person took over, nothing is sent (stale turn) — read again. Outside the 24-hour window only templates. turnId is a UUID you choose: calling again with it acts once.",
    scope: 'conversations:reply',
    annotations: {
      title: "Act as the conversation's AI agent",
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    input: {
      conversationId: uuid().describe("The conversation's id."),
      turnId: uuid().describe('A new UUID you choose for this turn; reuse it to retry safely.'),
      inReplyTo: uuid().describe('The id of the newest message from the contact that this turn answers.'),
      messages: z.array(ZTurnMessage).max(3).optional().describe('Up to 3 messages, sent in order.'),
      actions: ZTurnActions.optional().describe('What to record or do besides the messages.'),
    },
    async run(ctx, a) {
      const turn = parse(ZAgentTurn, { inReplyTo: a.inReplyTo, messages: a.messages, actions: a.actions })
      const result = await executeTurn(turnAuthorOf(ctx), parse(uuid(), a.conversationId), turn, {
        turnId: a.turnId,
      })
      return {
        data: { turn: result },
        text: lines(
          `Turn ${result.turnId}: ${result.messageIds.length} message(s) queued.`,
          result.handoff && `Handed over to a person (${result.handoff.why}).`,
        ),
      }
    },
  }),

  defineTool({
    name: 'update_lead',
    title: 'Update a lead',
    description:
      "Changes some of a lead's fields (those given; the rest stay) and/or moves it in the pipeline (status; lost needs lostReason). Recorded in the lead's history under the integration's name. A phone or e-mail another lead already has is refused with the duplicates unless allowDuplicate is true. Converting to a client is done by people.",
    scope: 'leads:write',
    annotations: {
      title: 'Update a lead',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
    input: {
      id: uuid().describe("The lead's id."),
      ...leadFields,
      status: z
        .enum(leadStatuses)
        .optional()
        .describe('New pipeline status (not converted: that is done by converting to a client).'),
      lostReason: z.enum(lostReasons).optional().describe('Required when status is lost.'),
      lostDetail: z.string().max(500).optional(),
      allowDuplicate: z.boolean().optional().describe('Save even if another lead has the same phone or e-mail.'),
    },
    async run(ctx, a) {
      const { id, status, lostReason, lostDetail, allowDuplicate, ...changes } = a
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))
      let lead = await getVisibleLead(ctx, parse(z.object({ id: z.uuid('validation.invalidId') }), { id }).id)
      if (Object.keys(given).length) {
        const { name, phones, email, source, sourceDetail, interest, budgetMin, budgetMax } = lead
        const { propertyTypes, locations, minBedrooms, notes, tags, assignedTo } = lead
        const current = { name, phones, email, source, sourceDetail, interest, budgetMin, budgetMax, propertyTypes }
        const data = { ...current, locations, minBedrooms, notes, tags, assignedTo, ...given }
        lead = await updateLead(ctx, parse(ZUpdateLeadInput, { id, data, allowDuplicate }))
      }
      if (status !== undefined)
        lead = await setLeadStatus(ctx, parse(ZSetLeadStatusInput, { id, status, lostReason, lostDetail }))
      return { data: { lead }, text: `Updated: ${leadSummary(lead)}` }
    },
  }),

  defineTool({
    name: 'add_note',
    title: 'Add a note to a lead',
    description:
      "Adds a note to a lead's notes, authored by the integration (people see its name on the note). Each call adds one note.",
    scope: 'leads:write',
    annotations: {
      title: 'Add a note',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    },
    input: {
      leadId: uuid().describe("The lead's id."),
      body: z.string().max(5000).describe('The note (up to 5000 characters).'),
    },
    async run(ctx, a) {
      const note = await addLeadNote(ctx, parse(ZAddLeadNoteInput, a))
      return { data: { note }, text: `Note ${note.id} added to lead ${note.leadId}.` }
    },
  }),

  defineTool({
    name: 'record_consent',
    title: "Record a lead's marketing consent",
    description:
      'Records what the person said about receiving marketing (LGPD): granted=true when they agreed (with the wording they agreed to), false when they declined or took it back. Impera refuses marketing templates to anyone whose latest answer is not a grant. Ask plainly and record only what they said.',
    scope: 'leads:write',
    annotations: {
      title: 'Record consent',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    },
    input: {
      leadId: uuid().describe("The lead's id."),
      granted: z.boolean().describe('true: agreed to receive marketing; false: declined or took it back.'),
      textVersion: z
        .string()
        .max(500)
        .optional()
        .describe('The wording they agreed to, or their own words when declining.'),
    },
    async run(ctx, a) {
      const out = await setConsent(ctx, parse(ZRecordConsentInput, a))
      return {
        data: { status: out.status, recordedAt: out.current.recordedAt },
        text: `Marketing consent for lead ${a.leadId}: ${out.status}.`,
      }
    },
  }),
]
