import { foldPhrase } from './fold'

/**
 * Which of the agency's FAQ entries a contact's messages ask (decision 021), for the rules agent: an entry with
 * keywords matches when one of them appears as whole words (accents, case and a plural "s" aside); an entry without
 * matches when most of its question's meaningful words appear (at least two, or its only one). The best-scoring entry
 * wins; none is better than a wrong answer, so the bar is deliberately high.
 */
export interface FaqEntry {
  id: string
  question: string
  answer: string
  keywords: readonly string[]
}

const STOPWORDS = new Set(
  (
    'de da do das dos em no na nos nas um uma uns umas para pra pro por com sem que qual quais como onde quando ' +
    'quanto voces voce vcs tem ter sao sou esta estao estou isso esse essa este aquele sobre mais muito pode podem ' +
    'posso preciso precisa ola bom boa dia tarde noite obrigado obrigada favor gostaria queria quero saber imovel ' +
    'imoveis the and for you are can'
  ).split(' '),
)

const stem = (w: string) => (w.length > 4 && w.endsWith('s') ? w.slice(0, -1) : w)
const words = (s: string) => foldPhrase(s).split(' ').filter(Boolean).map(stem)
const meaningful = (s: string) => words(s).filter((w) => w.length >= 3 && !STOPWORDS.has(w))

export function matchFaq(texts: readonly string[], entries: readonly FaqEntry[]): FaqEntry | null {
  if (!entries.length || !texts.length) return null
  const said = words(texts.join(' '))
  const haystack = ` ${said.join(' ')} `
  const present = new Set(said)
  let best: { entry: FaqEntry; score: number } | null = null
  for (const entry of entries) {
    let score = 0
    if (entry.keywords.length) {
      const hits = entry.keywords.map((k) => words(k).join(' ')).filter((k) => k && haystack.includes(` ${k} `))
      // A keyword of several words says more than one of one word.
      score = hits.reduce((sum, k) => sum + 1 + k.split(' ').length, 0)
    } else {
      const terms = [...new Set(meaningful(entry.question))]
      const hit = terms.filter((w) => present.has(w)).length
      if (terms.length && hit / terms.length >= 0.6 && (hit >= 2 || terms.length === 1)) score = hit
    }
    if (score > 0 && (!best || score > best.score)) best = { entry, score }
  }
  return best?.entry ?? null
}
