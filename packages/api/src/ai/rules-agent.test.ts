import { describe, expect, it } from 'vitest'
import { foldPhrase } from './fold'
import { decideRulesTurn, type RulesInput } from './rules-agent'

const base: RulesInput = {
  texts: [],
  known: {},
  asked: [],
  unanswered: 0,
  firstTurn: false,
  contactName: 'Maria Souza',
  agencyName: 'Imobiliária Horizonte',
  knownPlaces: ['Pinheiros', 'Vila Madalena', 'Perdizes', 'São Paulo'],
  handoffPhrases: ['falar com corretor', 'atendente', 'humano'],
  optOutWords: ['sair', 'parar'],
}
const decide = (over: Partial<RulesInput>) => decideRulesTurn({ ...base, ...over })
const texts = (d: ReturnType<typeof decideRulesTurn>) =>
  d.kind === 'turn' ? d.messages.map((m) => (m.type === 'text' ? m.text : '')) : []

describe('the rules agent', () => {
  it('greets by first name on the first turn and asks the first missing question', () => {
    const d = decide({ texts: ['Oi, boa tarde!'], firstTurn: true })
    expect(d.kind).toBe('turn')
    if (d.kind !== 'turn') return
    expect(texts(d)[0]).toContain('Olá, Maria!')
    expect(texts(d)[0]).toContain('Imobiliária Horizonte')
    expect(texts(d)[1]).toBe('Você procura um imóvel para comprar ou para alugar?')
    expect(d.asks).toBe('purpose')
    expect(d.handoff).toBeNull()
  })

  it('does not greet a phone number as a name', () => {
    expect(texts(decide({ texts: ['oi'], firstTurn: true, contactName: '+55 11 91234-5678' }))[0]).toMatch(/^Olá! /)
  })

  it('reads the slots of a burst and asks the next question, acknowledging what it read', () => {
    const d = decide({ texts: ['quero alugar um apartamento', 'em Pinheiros'], asked: ['purpose'] })
    if (d.kind !== 'turn') throw new Error('not a turn')
    expect(d.found).toMatchObject({ purpose: 'rent', propertyTypes: ['apartment'], locations: ['Pinheiros'] })
    expect(d.asks).toBe('budget')
    expect(texts(d)).toEqual(['Anotado! Até quanto você pode pagar de aluguel por mês?'])
    expect(d.unanswered).toBe(0)
  })

  it('reads a bare answer as the slot it asked for', () => {
    const d = decide({ texts: ['3'], known: { purpose: 'buy' }, asked: ['purpose', 'bedrooms'] })
    if (d.kind !== 'turn') throw new Error('not a turn')
    expect(d.found).toEqual({ minBedrooms: 3 })
  })

  it('hands over with a summary once it knows what, where and how much, offering listings', () => {
    const d = decide({
      texts: ['até 3.500 por mês'],
      known: { purpose: 'rent', propertyTypes: ['apartment'], locations: ['Pinheiros'] },
      asked: ['purpose', 'budget'],
    })
    if (d.kind !== 'turn') throw new Error('not a turn')
    expect(d.found.budgetMax).toBe(350_000)
    expect(d.handoff?.reason).toBe('qualificado')
    expect(d.handoff?.summary).toBe('Quer alugar apartamento, em Pinheiros, até R$ 3.500.')
    expect(d.offerProperties).toBe(true)
    expect(texts(d)[0]).toContain('corretores')
  })

  it('hands over at once on a handoff phrase, accents and case aside', () => {
    const d = decide({ texts: ['Quero FALAR com CORRETOR, por favor'] })
    if (d.kind !== 'turn') throw new Error('not a turn')
    expect(d.handoff?.reason).toBe('pediu para falar com uma pessoa')
    expect(d.asks).toBeNull()
  })

  it('a phrase matches whole words only: "humanos" is not "humano"', () => {
    const d = decide({ texts: ['somos dois humanos e um gato'], asked: [] })
    if (d.kind !== 'turn') throw new Error('not a turn')
    expect(d.handoff).toBeNull()
  })

  it('an opt-out word alone stops the bot; the word inside a sentence does not', () => {
    expect(decide({ texts: ['SAIR'] }).kind).toBe('opt_out')
    expect(decide({ texts: ['Parar!'] }).kind).toBe('opt_out')
    expect(decide({ texts: ['quero sair do aluguel e comprar'] }).kind).toBe('turn')
  })

  it('hands over after three unanswered questions, and skips a question that went unanswered', () => {
    const d = decide({ texts: ['ok'], known: { purpose: 'buy' }, asked: ['purpose', 'propertyType'], unanswered: 1 })
    if (d.kind !== 'turn') throw new Error('not a turn')
    expect(d.unanswered).toBe(2)
    expect(d.asks).toBe('location')
    const last = decide({
      texts: ['hmm'],
      known: { purpose: 'buy' },
      asked: ['propertyType', 'location'],
      unanswered: 2,
    })
    if (last.kind !== 'turn') throw new Error('not a turn')
    expect(last.handoff?.reason).toBe('não respondeu às perguntas')
  })

  it("answers the agency's FAQ before its next question, and a question asked is not a question ignored", () => {
    const faq = [
      {
        id: 'p',
        question: 'Aceita animais?',
        answer: 'Sim, a maioria dos imóveis aceita pets.',
        keywords: ['pet', 'cachorro'],
      },
    ]
    const first = decide({ texts: ['Oi! Vocês aceitam cachorro?'], firstTurn: true, faq })
    expect(texts(first)).toEqual([
      expect.stringContaining('Olá, Maria!'),
      'Sim, a maioria dos imóveis aceita pets.',
      'Você procura um imóvel para comprar ou para alugar?',
    ])
    const later = decide({ texts: ['e aceita pet?'], asked: ['purpose'], unanswered: 2, faq })
    expect(later).toMatchObject({ kind: 'turn', unanswered: 2, handoff: null })
    expect(texts(later)).toEqual([
      'Sim, a maioria dos imóveis aceita pets.',
      expect.stringContaining('comprar ou para alugar'),
    ])
    // Without the entry, the same message is an unanswered question like any other.
    expect(decide({ texts: ['e aceita pet?'], asked: ['purpose'], unanswered: 2 })).toMatchObject({
      handoff: { reason: 'não respondeu às perguntas' },
    })
  })

  it('folds phrases for comparison', () => {
    expect(foldPhrase('  Não, OBRIGADO!! ')).toBe('nao obrigado')
  })
})
