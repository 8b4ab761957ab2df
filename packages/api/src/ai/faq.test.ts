import { describe, expect, it } from 'vitest'
import { matchFaq, type FaqEntry } from './faq'

const entries: FaqEntry[] = [
  {
    id: 'pets',
    question: 'Aceita animais?',
    answer: 'Sim, a maioria aceita pets.',
    keywords: ['pet', 'animal', 'cachorro', 'gato'],
  },
  {
    id: 'hours',
    question: 'Qual o horário de atendimento?',
    answer: 'Seg a sex, 9h às 18h.',
    keywords: ['horario', 'abre', 'fecha'],
  },
  {
    id: 'guarantee',
    question: 'Precisa de fiador?',
    answer: 'Aceitamos seguro-fiança.',
    keywords: ['fiador', 'seguro fiança', 'caução'],
  },
  {
    id: 'docs',
    question: 'Quais documentos preciso para alugar?',
    answer: 'RG, CPF e comprovante de renda.',
    keywords: [],
  },
  { id: 'parking', question: 'Estacionamento para visitantes', answer: 'Há vagas na rua.', keywords: [] },
]

describe('matchFaq', () => {
  it.each([
    ['Vocês aceitam cachorro?', 'pets'],
    ['tenho 2 GATOS, tem problema?', 'pets'],
    ['Que horário vocês abrem no sábado?', 'hours'],
    ['Precisa de fiador ou aceita seguro-fiança?', 'guarantee'],
    ['Aceitam CAUÇÃO?', 'guarantee'],
    ['que documentos eu preciso pra alugar?', 'docs'],
    ['Tem estacionamento pra visitantes?', 'parking'],
  ])('%s → %s', (text, id) => {
    expect(matchFaq([text], entries)?.id).toBe(id)
  })

  it.each([
    'Quero alugar um apartamento em Pinheiros',
    'até 4 mil',
    'Oi, boa tarde!',
    'tem vaga de garagem?',
    'Preciso de um imóvel perto do metrô',
    'o documento está pronto',
  ])('no entry for %s', (text) => {
    expect(matchFaq([text], entries)).toBeNull()
  })

  it('reads the whole burst, and nothing without entries', () => {
    expect(matchFaq(['Oi', 'uma dúvida', 'aceita pet?'], entries)?.id).toBe('pets')
    expect(matchFaq(['aceita pet?'], [])).toBeNull()
  })
})
