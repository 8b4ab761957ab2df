import type { TTurnMessage } from '../schemas/agent-turns'
import { extractSlots, type Intent } from './extract-pt-br'
import { matchFaq, type FaqEntry } from './faq'
import { foldPhrase } from './fold'
import { answered, isQualified, nextQuestion } from './next-question'
import type { QualificationQuestion, QualificationValues } from './qualification'
import { summarizeQualification } from './score'

/**
 * The built-in `rules` agent (decision 020): offline, no account, pt-BR. Given the contact's latest burst of messages
 * and what is known, it decides one turn — greet, read the slots, ask the next missing question, or hand over (when
 * qualified, on request, on frustration, after three unanswered questions) — or that the contact opted out. Pure: the
 * runner (services/ai-agent.ts) gathers the input and executes the turn like any other agent's.
 */
export interface RulesInput {
  /** The contact's messages since the bot or a person last wrote, oldest first. */
  texts: string[]
  /** What is known of the lead now (its qualification's values). */
  known: QualificationValues
  /** The questions the bot asked so far, oldest first. */
  asked: QualificationQuestion[]
  /** How many of its questions in a row went unanswered before this burst. */
  unanswered: number
  /** No bot message in the conversation yet: greet first. */
  firstTurn: boolean
  contactName: string | null
  agencyName: string
  knownPlaces: readonly string[]
  handoffPhrases: readonly string[]
  optOutWords: readonly string[]
  /** The agency's FAQ (decision 021): an entry the contact asks is answered before the next question. */
  faq?: readonly FaqEntry[]
  /** Who will say it: the bot introduces itself; a person's draft (assist) greets as the person. */
  voice?: 'bot' | 'person'
}

export type RulesDecision =
  | { kind: 'opt_out' }
  | {
      kind: 'turn'
      found: QualificationValues
      messages: TTurnMessage[]
      handoff: { reason: string; summary: string | null } | null
      /** The question this turn asks (to remember), if any. */
      asks: QualificationQuestion | null
      unanswered: number
      /** Qualified: the runner may add up to two matching listings as cards. */
      offerProperties: boolean
    }

function merge(a: QualificationValues, b: QualificationValues): QualificationValues {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue
    const held = out[k]
    out[k] = Array.isArray(v) && Array.isArray(held) ? [...new Set([...held, ...v])] : v
  }
  return out as QualificationValues
}

function firstName(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0]
  // A phone number or an emoji is not a name to greet.
  return first && /\p{L}{2,}/u.test(first) ? first : null
}

/**
 * The agency's own words, checked whoever the agent is (decision 020): an opt-out word sent alone stops the bot; a
 * handoff phrase (whole words, accents and case aside) hands over at once. Null when neither appears.
 */
export function screenBurst(
  texts: readonly string[],
  { handoffPhrases, optOutWords }: { handoffPhrases: readonly string[]; optOutWords: readonly string[] },
): 'opt_out' | 'handoff' | null {
  const folded = texts.map(foldPhrase)
  const optOut = new Set(optOutWords.map(foldPhrase))
  if (folded.some((t) => optOut.has(t))) return 'opt_out'
  const phrases = handoffPhrases.map(foldPhrase).filter(Boolean)
  if (folded.some((t) => phrases.some((p) => ` ${t} `.includes(` ${p} `)))) return 'handoff'
  return null
}

export function decideRulesTurn(input: RulesInput): RulesDecision {
  const screened = screenBurst(input.texts, input)
  if (screened === 'opt_out') return { kind: 'opt_out' }

  const expecting = input.asked.at(-1)
  let found: QualificationValues = {}
  const intents = new Set<Intent>()
  for (const text of input.texts) {
    const e = extractSlots(text, { knownPlaces: input.knownPlaces, expecting })
    found = merge(found, e.slots)
    for (const i of e.intents) intents.add(i)
  }
  if (intents.has('opt_out')) return { kind: 'opt_out' }
  const values = merge(input.known, found)
  const summary = summarizeQualification(values)
  const faq = matchFaq(input.texts, input.faq ?? [])
  // A contact who asked something the FAQ answers did not ignore the question: they asked one of their own.
  const unanswered = expecting && !answered[expecting](values) ? (faq ? input.unanswered : input.unanswered + 1) : 0
  const answer = faq ? [faq.answer] : []
  const turn = (
    messages: string[],
    handoff: { reason: string; summary: string | null } | null,
    asks: QualificationQuestion | null = null,
    offerProperties = false,
  ): RulesDecision => ({
    kind: 'turn',
    found,
    messages: messages.map((text) => ({ type: 'text' as const, text })),
    handoff,
    asks,
    unanswered,
    offerProperties,
  })
  const passing = 'Vou passar você para um dos nossos corretores, que continua o atendimento por aqui.'

  if (intents.has('human_request') || screened === 'handoff')
    return turn([`Claro! ${passing}`], { reason: 'pediu para falar com uma pessoa', summary })
  if (intents.has('frustration'))
    return turn([`Desculpe pela demora em ajudar. ${passing}`], { reason: 'contato insatisfeito', summary })
  if (intents.has('question_visit'))
    return turn([`Ótimo! Para agendar a visita, ${passing.charAt(0).toLowerCase()}${passing.slice(1)}`], {
      reason: 'quer agendar uma visita',
      summary,
    })
  if (unanswered >= 3) return turn([passing], { reason: 'não respondeu às perguntas', summary })
  if (isQualified(values))
    return turn(
      [...answer, `Perfeito, obrigado! Anotei: ${summary ?? ''} ${passing}`.replace(/\s+/g, ' ').trim()],
      { reason: 'qualificado', summary },
      null,
      true,
    )

  // A question left unanswered is skipped, not repeated; unless the contact asked something instead: then it stands.
  const skip = input.asked.filter((q) => !answered[q](values) && !(faq && q === expecting))
  const question = nextQuestion(values, { skip })
  if (!question) return turn([...answer, passing], { reason: 'sem mais perguntas', summary })
  if (input.firstTurn) {
    const name = firstName(input.contactName)
    return turn(
      [
        input.voice === 'person'
          ? `Olá${name ? `, ${name}` : ''}! Obrigado pelo contato com a ${input.agencyName}.`
          : `Olá${name ? `, ${name}` : ''}! Sou o assistente virtual da ${input.agencyName} e vou ajudar a encontrar o imóvel certo para você.`,
        ...answer,
        question.text,
      ],
      null,
      question.key,
    )
  }
  if (faq) return turn([faq.answer, question.text], null, question.key)
  const ack = Object.keys(found).length ? 'Anotado! ' : ''
  return turn([`${ack}${question.text}`], null, question.key)
}
