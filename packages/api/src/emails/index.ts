import { brandPalette } from '../branding'

type Locale = 'pt-BR' | 'en'
interface Email {
  subject: string
  text: string
  html?: string
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * The HTML part of an agency's e-mail (issue 18's identity): its logo and its colour on the button, in the light
 * theme's readable shade (decision 043); plain tables and inline styles, as mail clients need. Every text is escaped.
 */
function agencyHtml(opts: {
  agencyName: string
  logoUrl: string | null
  brandColor: string | null
  lines: string[]
  action: { label: string; url: string }
}): string {
  const palette = opts.brandColor ? brandPalette(opts.brandColor) : null
  const [button, buttonText] = palette
    ? [palette.light.primary, palette.light.primaryForeground]
    : ['#0b6e4f', '#ffffff']
  const logo = opts.logoUrl
    ? `<img src="${escapeHtml(opts.logoUrl)}" alt="${escapeHtml(opts.agencyName)}" height="48" style="height:48px;max-width:200px">`
    : `<strong style="font-size:18px">${escapeHtml(opts.agencyName)}</strong>`
  return [
    '<!doctype html><html><body style="margin:0;padding:24px;background:#f4f6f8;font-family:Arial,sans-serif;color:#111827">',
    '<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px">',
    `<tr><td style="padding:24px 24px 8px">${logo}</td></tr>`,
    ...opts.lines.map(
      (l) => `<tr><td style="padding:8px 24px;font-size:15px;line-height:1.5">${escapeHtml(l)}</td></tr>`,
    ),
    `<tr><td style="padding:16px 24px 24px"><a href="${escapeHtml(opts.action.url)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:${button};color:${buttonText};text-decoration:none;font-weight:bold">${escapeHtml(opts.action.label)}</a></td></tr>`,
    '</table></body></html>',
  ].join('')
}

const asLocale = (l: string): Locale => (l === 'en' ? 'en' : 'pt-BR')

export function passwordResetEmail(url: string, locale: string): Email {
  return asLocale(locale) === 'en'
    ? {
        subject: 'Reset your Impera CRM password',
        text: `Someone asked to reset the password of this account.\n\nTo choose a new password, open this link within 30 minutes:\n${url}\n\nIf it was not you, ignore this e-mail: your password stays the same.`,
      }
    : {
        subject: 'Redefina sua senha do Impera CRM',
        text: `Alguém pediu para redefinir a senha desta conta.\n\nPara escolher uma nova senha, abra este link em até 30 minutos:\n${url}\n\nSe não foi você, ignore este e-mail: sua senha continua a mesma.`,
      }
}

export function passwordChangedEmail(locale: string): Email {
  return asLocale(locale) === 'en'
    ? {
        subject: 'Your Impera CRM password was changed',
        text: 'The password of your account was just changed and every session was signed out. If it was not you, reset your password now and tell your manager.',
      }
    : {
        subject: 'Sua senha do Impera CRM foi alterada',
        text: 'A senha da sua conta acabou de ser alterada e todas as sessões foram encerradas. Se não foi você, redefina sua senha agora e avise seu gestor.',
      }
}

export function invitationEmail(opts: {
  agencyName: string
  inviterName: string | null
  url: string
  locale: string
  role: string
  /** The agency's identity (absolute logo address), for the HTML part. */
  logoUrl?: string | null
  brandColor?: string | null
}): Email {
  const en = asLocale(opts.locale) === 'en'
  const who = opts.inviterName ?? (en ? 'The Impera team' : 'A equipe Impera')
  const role = en ? opts.role : opts.role === 'manager' ? 'gestor' : 'corretor'
  const invited = en
    ? `${who} invited you to join ${opts.agencyName} as ${role}.`
    : `${who} convidou você para a equipe ${opts.agencyName} como ${role}.`
  const within = en ? 'Accept within 7 days:' : 'Aceite em até 7 dias:'
  const html = agencyHtml({
    agencyName: opts.agencyName,
    logoUrl: opts.logoUrl ?? null,
    brandColor: opts.brandColor ?? null,
    lines: [invited, en ? 'The invitation is valid for 7 days.' : 'O convite vale por 7 dias.'],
    action: { label: en ? 'Accept the invitation' : 'Aceitar o convite', url: opts.url },
  })
  return en
    ? {
        subject: `You are invited to ${opts.agencyName} on Impera CRM`,
        text: `${invited}\n\n${within}\n${opts.url}`,
        html,
      }
    : {
        subject: `Convite para ${opts.agencyName} no Impera CRM`,
        text: `${invited}\n\n${within}\n${opts.url}`,
        html,
      }
}

export interface DigestItem {
  kind: string
  count: number
  data: Record<string, string | number | null>
  url: string
}

/** One notification as a sentence in the member's language: a digest line, a push's body. */
export function notificationLine(item: Pick<DigestItem, 'kind' | 'count' | 'data'>, locale: string): string {
  return digestLine(item, asLocale(locale) === 'en')
}

function digestLine(item: Pick<DigestItem, 'kind' | 'count' | 'data'>, en: boolean): string {
  const d = item.data
  const times = item.count > 1 ? ` (${item.count}×)` : ''
  switch (item.kind) {
    case 'lead_assigned':
      return en ? `Lead assigned to you: ${d.name}` : `Lead atribuído a você: ${d.name}`
    case 'message_received':
      return en
        ? `New WhatsApp message from ${d.contact}${times}: ${d.preview}`
        : `Nova mensagem no WhatsApp de ${d.contact}${times}: ${d.preview}`
    case 'lead_waiting':
      return en
        ? `${d.name} has had no contact for over ${d.hours} h`
        : `${d.name} está sem contato há mais de ${d.hours} h`
    case 'message_failed':
      return en
        ? `A message to ${d.contact} was not sent${times}`
        : `Uma mensagem para ${d.contact} não foi enviada${times}`
    case 'invitation_accepted':
      return en ? `${d.email} accepted your invitation` : `${d.email} aceitou seu convite`
    case 'webhook_disabled':
      return en
        ? `Webhook ${d.url} was disabled (${d.reason === 'gone' ? 'it answered 410 Gone' : 'deliveries failed for about 3 days'})`
        : `O webhook ${d.url} foi desativado (${d.reason === 'gone' ? 'respondeu 410 Gone' : 'as entregas falharam por cerca de 3 dias'})`
    case 'ai_handoff':
      return en
        ? `The AI handed ${d.contact} over to you: ${d.summary}`
        : `A IA passou ${d.contact} para você: ${d.summary}`
    case 'task_due':
      return d.assigned
        ? en
          ? `A task was given to you: ${d.title}`
          : `Uma tarefa foi passada para você: ${d.title}`
        : en
          ? `Coming up: ${d.title}`
          : `Em breve: ${d.title}`
    case 'property_matches':
      return en
        ? `${d.count} of your leads match ${d.code} · ${d.title}`
        : `${d.count} lead(s) seus combinam com ${d.code} · ${d.title}`
    case 'lead_offered':
      return en
        ? `New lead to claim: ${d.name} (the first to claim it gets it, ${d.minutes} min)`
        : `Lead novo para pegar: ${d.name} (fica com quem pegar primeiro, ${d.minutes} min)`
    case 'leads_assigned':
      return en ? `${d.count} leads were assigned to you` : `${d.count} leads foram atribuídos a você`
    case 'bulk_done':
      return en
        ? `A bulk change finished: ${d.changed} of ${d.total} records changed`
        : `Uma alteração em massa terminou: ${d.changed} de ${d.total} registros alterados`
    case 'lead_sla_breached':
      return d.to
        ? en
          ? `${d.name} had no contact within ${d.minutes} min (${d.from}): moved to ${d.to}${times}`
          : `${d.name} ficou sem contato em ${d.minutes} min (${d.from}): passou para ${d.to}${times}`
        : en
          ? `${d.name} had no contact within ${d.minutes} min and nobody else is left in the distribution${times}`
          : `${d.name} ficou sem contato em ${d.minutes} min e não sobrou ninguém na distribuição${times}`
    case 'visit_reply':
      return en
        ? `Reply to the confirmation of ${d.title}: ${d.reply}`
        : `Resposta à confirmação de ${d.title}: ${d.reply}`
    default:
      return item.kind
  }
}

/** One e-mail for everything a member was notified of since the last one (bursts are batched by the worker). */
export function notificationDigestEmail(opts: {
  agencyName: string
  items: DigestItem[]
  locale: string
  settingsUrl: string
}): Email {
  const en = asLocale(opts.locale) === 'en'
  const lines = opts.items.map((i) => `• ${digestLine(i, en)}\n  ${i.url}`).join('\n\n')
  const n = opts.items.length
  return en
    ? {
        subject:
          n === 1
            ? `${opts.agencyName}: ${digestLine(opts.items[0]!, true)}`
            : `${opts.agencyName}: ${n} updates in Impera CRM`,
        text: `${lines}\n\nChoose what reaches you by e-mail: ${opts.settingsUrl}`,
      }
    : {
        subject:
          n === 1
            ? `${opts.agencyName}: ${digestLine(opts.items[0]!, false)}`
            : `${opts.agencyName}: ${n} novidades no Impera CRM`,
        text: `${lines}\n\nEscolha o que chega por e-mail: ${opts.settingsUrl}`,
      }
}
