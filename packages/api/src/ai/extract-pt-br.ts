/**
 * Offline understanding of one pt-BR WhatsApp message from a property lead, for the `rules` AI provider (issue 15).
 * Pure and synchronous: the runner calls it per inbound message (or per debounced burst, joined) and merges the slots
 * into the lead's qualification with `applySlots(…, 'bot')`.
 *
 * Understands, with or without accents, in any case, with emojis and stretched letters ("oiii", "obrigadooo"):
 * - purpose: comprar / alugar and their forms, "à venda", "cansei de pagar aluguel" (buy), money "por mês" (rent),
 *   and buying implied by financing, FGTS or paying "à vista";
 * - property types: ap, apto, apê, apartamento, kitnet, studio, cobertura; casa, sobrado; terreno, lote; sala/ponto
 *   comercial, loja, galpão; sítio, chácara, fazenda ("em casa", "minha casa" and "casa da…" are not a type);
 * - places: the agency's `knownPlaces` only, whole words, multi-word names, "Jd"/"Vl"/"Pq" for Jardim/Vila/Parque,
 *   and "São Caetano" for "São Caetano do Sul". Names that are also common words ("Saúde", "Centro") count only after
 *   "no", "na", "em", "bairro", "perto do"… or capitalised mid-sentence;
 * - bedrooms and parking: digits or words up to ten, "3q", "2 dorms", "2 ou 3 quartos" (min 2), "quarto e sala",
 *   "com vaga" (1);
 * - budget in cents: "R$ 3.500", "3,5 mil", "500k", "1,2 mi", "1 milhão e meio", "quinhentos mil", "até 500 mil"
 *   (max), "a partir de 300 mil" (min), "entre 400 e 600 mil" (both); a bare number only after a budget word ("até",
 *   "orçamento", "valor"…). Phone numbers, CEPs, years, "apto 42", counts of rooms, income ("ganho 5 mil"), down
 *   payments ("100 mil de entrada") and condo fees are not budgets;
 * - financing (financiamento, Caixa, MCMV; FGTS wins over plain financing; "à vista"/"sem financiar" = cash; "não sei"
 *   = unknown) and move-in timeframe ("urgente", "mês que vem", "em 4 meses", "fim do ano", "sem pressa");
 * - intents: greeting, human_request, opt_out, frustration, question_price, question_visit, thanks.
 *
 * Does not understand: negation beyond the cases above ("não quero casa" still says house), corrections of an earlier
 * answer, month names and dates as a timeframe, part or slang place names ("Itaim" for Itaim Bibi, "Vila Mada"), place
 * names that are everyday phrases ("com bela vista"), where the lead lives now ("moro em Osasco"), misspelt units
 * ("2 qartos"), places the agency has not listed, sarcasm, or context: a bare "3" is read as bedrooms only when the caller says it asked about bedrooms (`expecting`).
 */
import type { QualificationQuestion, QualificationValues } from './qualification'

export const intents = [
  'greeting',
  'human_request',
  'opt_out',
  'frustration',
  'question_price',
  'question_visit',
  'thanks',
] as const
export type Intent = (typeof intents)[number]

export type ExtractOptions = {
  /** The agency's neighbourhoods and cities, as it spells them; a match returns this spelling. */
  knownPlaces: readonly string[]
  /** The question the bot asked last, so that a bare answer ("3", "2500") can be read as its slot. */
  expecting?: QualificationQuestion
}
export type Extraction = { slots: QualificationValues; intents: Intent[] }

export function extractSlots(text: string, { knownPlaces, expecting }: ExtractOptions): Extraction {
  const folded = fold(text)
  const s = folded.text
  const tokens = tokenize(maskNonBudgetNumbers(s))
  const quantities = readQuantities(tokens)
  const slots: QualificationValues = {}

  const bedrooms =
    countOf(quantities, BEDROOM_UNITS) ??
    countOf(quantities, SUITE_UNITS) ??
    (/\bquarto e sala\b/.test(s) ? 1 : undefined)
  const parking = countOf(quantities, PARKING_UNITS) ?? (mentionsParking(s) ? 1 : undefined)
  const budget = budgetOf(tokens, quantities)
  const financing = financingOf(s)
  const purpose = purposeOf(s, budget.monthly, financing)
  const types = propertyTypesOf(tokens)
  const locations = placesOf(folded, knownPlaces)
  const moveIn = moveInOf(s)

  if (purpose) slots.purpose = purpose
  if (types.length) slots.propertyTypes = types
  if (locations.length) slots.locations = locations
  if (bedrooms !== undefined) slots.minBedrooms = bedrooms
  if (parking !== undefined) slots.parkingSpaces = parking
  if (budget.min !== undefined) slots.budgetMin = Math.round(budget.min * 100)
  if (budget.max !== undefined) slots.budgetMax = Math.round(budget.max * 100)
  if (financing) slots.financing = financing
  if (moveIn) slots.moveIn = moveIn
  if (expecting) readBareAnswer(tokens, expecting, slots)

  return { slots, intents: intentsOf(s, text) }
}

// ---------------------------------------------------------------------------------------------------------------------
// Folding: one lowercase, accent-free, emoji-free copy of the message, with a map back to the original's positions
// (a place's capital letter is read from the original).

type Folded = { text: string; origin: number[]; original: string }

function fold(original: string): Folded {
  let text = ''
  const origin: number[] = []
  let offset = 0
  let run = 0
  for (const ch of original) {
    const plain = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200d|\ufe0f/u.test(ch)
      ? ' '
      : ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    for (const c of plain) {
      // "oiiii", "diaaa", "simmm": a letter three times in a row is one stretched letter (no pt-BR word has three);
      // rr and ss stay double, as in "carrro".
      run = /[a-z]/.test(c) && text.endsWith(c) ? run + 1 : 1
      if (run >= 3) {
        if (run === 3 && c !== 'r' && c !== 's') {
          text = text.slice(0, -1)
          origin.pop()
        }
        continue
      }
      text += c
      origin.push(offset)
    }
    offset += ch.length
  }
  return { text, origin, original }
}

// ---------------------------------------------------------------------------------------------------------------------
// Numbers

/**
 * Blanks out numbers that are never money before any number is read: phone numbers (8+ digits, with or without area
 * code and separators) and CEPs. Blanking keeps positions, and the "#" stops a budget word reaching past it.
 */
function maskNonBudgetNumbers(s: string): string {
  const blank = (m: string) => ' #' + ' '.repeat(Math.max(0, m.length - 2))
  return s
    .replace(/(?<![\d.,])(?:\+?55[\s.-]*)?(?:\(?\d{2}\)?[\s.-]*)?9?\d{4}[\s.-]?\d{4}(?!\d)/g, blank)
    .replace(/(?<![\d.,])\d{5}-\d{3}(?!\d)/g, blank)
}

type Token = { t: string; at: number }

function tokenize(s: string): Token[] {
  const out: Token[] = []
  for (const m of s.matchAll(/r\$|\d+(?:[.,]\d+)*|[a-z]+|[^\s\w]/g)) out.push({ t: m[0], at: m.index })
  return out
}

const WORD_NUMBERS: Record<string, number> = {
  um: 1,
  uma: 1,
  dois: 2,
  duas: 2,
  tres: 3,
  quatro: 4,
  cinco: 5,
  seis: 6,
  sete: 7,
  oito: 8,
  nove: 9,
  dez: 10,
  onze: 11,
  doze: 12,
  quinze: 15,
  vinte: 20,
  trinta: 30,
  quarenta: 40,
  cinquenta: 50,
  sessenta: 60,
  setenta: 70,
  oitenta: 80,
  noventa: 90,
  cem: 100,
  cento: 100,
  duzentos: 200,
  trezentos: 300,
  quatrocentos: 400,
  quinhentos: 500,
  seiscentos: 600,
  setecentos: 700,
  oitocentos: 800,
  novecentos: 900,
  meio: 0.5,
}
const MULTIPLIERS: Record<string, number> = {
  mil: 1e3,
  k: 1e3,
  pau: 1e3,
  paus: 1e3,
  mi: 1e6,
  milhao: 1e6,
  milhoes: 1e6,
  mm: 1e6,
}
const CURRENCY_AFTER = new Set(['reais', 'real', 'pila', 'conto', 'contos'])
const BEDROOM_UNITS = new Set([
  'quarto',
  'quartos',
  'quatros',
  'qto',
  'qtos',
  'qt',
  'qts',
  'q',
  'dorm',
  'dorms',
  'dormitorio',
  'dormitorios',
])
/** "3 quartos sendo 1 suíte": suites count as bedrooms only when no bedroom count is given. */
const SUITE_UNITS = new Set(['suite', 'suites'])
const PARKING_UNITS = new Set(['vaga', 'vagas', 'vg', 'vgs', 'garagem', 'garagens'])
/** Anything counted that is not money (a number followed by one of these is not a budget). */
const OTHER_UNITS = new Set([
  'banheiro',
  'banheiros',
  'wc',
  'sala',
  'salas',
  'm',
  'metro',
  'metros',
  'mts',
  'mt',
  'ano',
  'anos',
  'mes',
  'meses',
  'dia',
  'dias',
  'semana',
  'semanas',
  'andar',
  'andares',
  'h',
  'hs',
  'hr',
  'hrs',
  'hora',
  'horas',
  'min',
  'minutos',
  'km',
  'pessoa',
  'pessoas',
  'filho',
  'filhos',
  'x',
  '%',
  ':',
])
/** Words before a number that make it a label: "apto 42", "casa 3", "bloco 2", "nº 120". */
const LABELS = new Set([
  'ap',
  'apto',
  'apt',
  'apartamento',
  'casa',
  'bloco',
  'torre',
  'andar',
  'lote',
  'quadra',
  'unidade',
  'sala',
  'n',
  'no',
  'numero',
  'rua',
  'av',
  'avenida',
  'cep',
  'codigo',
  'cod',
  'ref',
])

type Quantity = {
  start: number
  end: number
  value: number
  /** R$, reais, mil, k, mi: the number is money whatever surrounds it. */
  money: boolean
  multiplier?: number
  unit?: string
}

function numberAt(tokens: Token[], i: number): { value: number; end: number; digits: boolean } | undefined {
  const t = tokens[i]?.t
  if (t === undefined) return undefined
  if (/^\d/.test(t)) {
    const next = tokens[i + 1]?.t ?? ''
    return { value: readDigits(t, next in MULTIPLIERS), end: i + 1, digits: true }
  }
  if (!(t in WORD_NUMBERS)) return undefined
  // "quatrocentos e cinquenta", "vinte e cinco": word numbers joined by "e".
  let value = WORD_NUMBERS[t]!
  let end = i + 1
  while (tokens[end]?.t === 'e' && (tokens[end + 1]?.t ?? '') in WORD_NUMBERS && tokens[end + 1]!.t !== 'meio') {
    value += WORD_NUMBERS[tokens[end + 1]!.t]!
    end += 2
  }
  return { value, end, digits: false }
}

/** "3.500" and "500.000,00" (thousands), "3,5" and "1.2" (decimals); before "mil"/"mi" one separator is a decimal. */
function readDigits(t: string, beforeMultiplier: boolean): number {
  const parts = t.split(/[.,]/)
  if (parts.length === 1) return Number(t)
  const last = parts[parts.length - 1]!
  if (beforeMultiplier && parts.length === 2) return Number(`${parts[0]}.${last}`)
  if (last.length !== 3) return Number(`${parts.slice(0, -1).join('')}.${last}`)
  return Number(parts.join(''))
}

function readQuantities(tokens: Token[]): Quantity[] {
  const out: Quantity[] = []
  for (let i = 0; i < tokens.length; i++) {
    const n = numberAt(tokens, i)
    if (!n) continue
    // "um"/"uma" are articles far more often than numbers: "uma casa", "um ap".
    if (!n.digits && n.value === 1 && !isCountedAt(tokens, n.end)) continue
    let value = n.value
    let end = n.end
    let money = tokens[i - 1]?.t === 'r$'
    const multiplier = MULTIPLIERS[tokens[end]?.t ?? '']
    if (multiplier) {
      value *= multiplier
      end++
      money = true
      // "1 milhão e meio", "1 milhão e 200 (mil)", "2 mil e 500".
      if (tokens[end]?.t === 'e') {
        if (tokens[end + 1]?.t === 'meio') {
          value += multiplier / 2
          end += 2
        } else {
          const rest = numberAt(tokens, end + 1)
          if (rest && rest.value < 1000) {
            const restMultiplier = MULTIPLIERS[tokens[rest.end]?.t ?? '']
            value += rest.value * (restMultiplier ?? multiplier / 1000)
            end = rest.end + (restMultiplier ? 1 : 0)
          }
        }
      }
    }
    if (CURRENCY_AFTER.has(tokens[end]?.t ?? '')) {
      money = true
      end++
    }
    // Money counts nothing: in "500 mil mês que vem" the "mês" is a date, not a unit.
    out.push({ start: i, end, value, money, multiplier, unit: money ? undefined : unitAt(tokens, end) })
    i = end - 1
  }
  // "2 ou 3 quartos", "de 2 a 3 dorms", "entre 400 e 600 mil": the first number takes the second's unit or multiplier.
  for (let k = 0; k + 1 < out.length; k++) {
    const a = out[k]!
    const b = out[k + 1]!
    if (b.start !== a.end + 1 || !RANGE_JOINERS.has(tokens[a.end]!.t)) continue
    if (!a.unit && b.unit) a.unit = b.unit
    if (!a.money && b.multiplier && a.value * b.multiplier <= b.value) {
      a.value *= b.multiplier
      a.money = true
    }
  }
  return out
}

const RANGE_JOINERS = new Set(['ou', 'a', 'e', '-', 'ate'])

function isCountedAt(tokens: Token[], i: number): boolean {
  const t = tokens[i]?.t ?? ''
  return t in MULTIPLIERS || BEDROOM_UNITS.has(t) || SUITE_UNITS.has(t) || PARKING_UNITS.has(t)
}

/** The unit right after a number, skipping "+" and "ou mais" ("3+ quartos", "2 ou mais vagas"). */
function unitAt(tokens: Token[], i: number): string | undefined {
  let j = i
  if (tokens[j]?.t === '+') j++
  if (tokens[j]?.t === 'ou' && tokens[j + 1]?.t === 'mais') j += 2
  const t = tokens[j]?.t
  if (t && (BEDROOM_UNITS.has(t) || SUITE_UNITS.has(t) || PARKING_UNITS.has(t) || OTHER_UNITS.has(t))) return t
  return undefined
}

/** The smallest count given for a unit ("2 ou 3 quartos" → 2); "mais de 2 quartos" → 3. */
function countOf(quantities: Quantity[], units: Set<string>): number | undefined {
  const counts = quantities
    .filter((q) => q.unit && units.has(q.unit) && !q.money && Number.isInteger(q.value) && q.value <= 20)
    .map((q) => q.value)
  return counts.length ? Math.min(...counts) : undefined
}

/** "com vaga", "precisa ter garagem" is one space; "sem vaga", "não preciso de vaga" is no wish at all. */
function mentionsParking(s: string): boolean {
  const m = /\b(nao )?(com|tenha|ter|tem|precis\w+ de|quero|queria) (uma )?(vaga|garagem)\b/.exec(s)
  return m !== null && m[1] === undefined && !/\bsem (vaga|garagem)\b/.test(s)
}

const BUDGET_WORDS = new Set([
  'ate',
  'orcamento',
  'valor',
  'pagar',
  'pago',
  'pagaria',
  'posso',
  'budget',
  'teto',
  'maximo',
  'max',
  'faixa',
  'entre',
  'investir',
  'aluguel',
  'uns',
  'umas',
  'tenho',
])
const MIN_WORDS = [
  /\ba partir de$/,
  /\bacima de$/,
  /\bmais de$/,
  /\bmais que$/,
  /\bpelo menos$/,
  /\bno minimo$/,
  /\bminimo( de)?$/,
]
const MAX_WORDS = [/\bmenos de$/, /\babaixo de$/, /\bno maximo$/, /\bmaximo( de)?$/, /\bteto( de)?$/, /\bate$/]
const NOT_BUDGET_BEFORE = /\b(renda|salario|ganho|ganhamos|ganha|recebo|recebemos|condominio|iptu|entrada|sinal)\b/
/** "100 mil de entrada", "350 mil pra dar de entrada": a down payment, not the price. */
const DOWN_PAYMENT_AFTER = /^((reais )?(pra|para) (dar )?)?(de |como |pra |para )?(entrada|sinal)\b/
const MONTHLY = /^(por mes|\/ mes|ao mes|mensal|mensais|p \/ mes|mes(?! que vem)|de aluguel|no aluguel)\b/

type Budget = { min?: number; max?: number; monthly: boolean }

function budgetOf(tokens: Token[], quantities: Quantity[]): Budget {
  // What precedes a number within its clause: a budget word before a comma or a phone number is not about it.
  const textBefore = (q: Quantity, n: number) =>
    tokens
      .slice(Math.max(0, q.start - n), q.start)
      .map((t) => t.t)
      .join(' ')
      .split(/[#,.;!?]/)
      .pop()!
      .trim()
  const textAfter = (q: Quantity, n: number) =>
    tokens
      .slice(q.end, q.end + n)
      .map((t) => t.t)
      .join(' ')
  const amounts = quantities.filter((q) => {
    if (q.unit) return false
    const before = textBefore(q, 3)
    if (NOT_BUDGET_BEFORE.test(textBefore(q, 5)) || DOWN_PAYMENT_AFTER.test(textAfter(q, 4))) return false
    if (q.money) return true
    // A bare number is money only after a budget word, and never a label ("apto 42") or a year.
    const prev = tokens[q.start - 1]?.t ?? ''
    if (LABELS.has(prev) || q.value < 100) return false
    // Dates and times: "15/03/2026", "14:30".
    if (
      prev === '/' ||
      prev === ':' ||
      (/^[/:]$/.test(tokens[q.end]?.t ?? '') && /^\d/.test(tokens[q.end + 1]?.t ?? ''))
    )
      return false
    const monthly = MONTHLY.test(textAfter(q, 3))
    if (!monthly && Number.isInteger(q.value) && q.value >= 1900 && q.value <= 2100) return false
    return monthly || before.split(' ').some((w) => BUDGET_WORDS.has(w))
  })
  const budget: Budget = { monthly: amounts.some((q) => MONTHLY.test(textAfter(q, 3))) }
  for (let k = 0; k < amounts.length; k++) {
    const q = amounts[k]!
    const next = amounts[k + 1]
    if (next && next.start === q.end + 1 && RANGE_JOINERS.has(tokens[q.end]!.t)) {
      budget.min = Math.min(q.value, next.value)
      budget.max = Math.max(q.value, next.value)
      k++
      continue
    }
    const before = textBefore(q, 3)
    const after = textAfter(q, 2)
    if (!MAX_WORDS.some((r) => r.test(before)) && (MIN_WORDS.some((r) => r.test(before)) || after === 'no minimo')) {
      budget.min = Math.max(budget.min ?? 0, q.value)
    } else {
      budget.max = Math.max(budget.max ?? 0, q.value)
    }
  }
  if (budget.min !== undefined && budget.max !== undefined && budget.min > budget.max) {
    ;[budget.min, budget.max] = [budget.max, budget.min]
  }
  return budget
}

/** The bot asked for bedrooms or the budget and the answer is just a number ("3", "uns 2500"). */
function readBareAnswer(tokens: Token[], expecting: QualificationQuestion, slots: QualificationValues) {
  const words = tokens.filter((t) => !/^[^\w$]$/.test(t.t))
  const n = numberAt(words, words[0]?.t === 'uns' || words[0]?.t === 'umas' ? 1 : 0)
  if (!n || n.end !== words.length) return
  if (expecting === 'bedrooms' && Number.isInteger(n.value) && n.value <= 10) slots.minBedrooms ??= n.value
  if (expecting === 'budget' && n.value >= 1000 && slots.budgetMax === undefined) slots.budgetMax = n.value * 100
}

// ---------------------------------------------------------------------------------------------------------------------
// Words

function purposeOf(s: string, monthlyMoney: boolean, financing: string | undefined): 'buy' | 'rent' | undefined {
  // "cansei de pagar aluguel", "sair do aluguel": a buyer talking about rent.
  const leavingRent = /\b(cansei|cansad[oa]s?|chega|parar|sair) (de pagar |do )aluguel\b/
  // "quero alugar, não comprar": a refused purpose is no evidence for it.
  const plain = s.replace(/\bnao (quero |pretendo |vou |penso em |e pra |e para )?(compr|alug|loca)\w*/g, ' ')
  const buy =
    leavingRent.test(plain) ||
    /\bcompr(a|ar|o|ando|aria|ariamos|amos)\b|\b(adquirir|aquisicao)\b|\b(a|pra|para|de) venda\b/.test(plain) ||
    /\binvest(ir|imento)\b/.test(plain) ||
    (financing !== undefined && financing !== 'unknown')
  const rent = /\balug\w*|\bloca(cao|r)\b/.test(plain.replace(new RegExp(leavingRent, 'g'), ' ')) || monthlyMoney
  if (buy === rent) return undefined
  return buy ? 'buy' : 'rent'
}

const TYPE_WORDS: [RegExp, 'apartment' | 'house' | 'land' | 'commercial' | 'rural'][] = [
  [
    /^(ap|aps|ape|apes|apto|aptos|apt|apts|apart|apartament\w*|apartamen\w*|apartamet\w*|apatamento\w*|apezinho|apartamentinho|kitnet\w*|kitinete?s?|quitinete?s?|studio|studios|estudio|flat|flats|loft|cobertura|coberturas|duplex)$/,
    'apartment',
  ],
  [/^(casa|casas|casinha|casinhas|sobrado|sobrados|chale|chales)$/, 'house'],
  [/^(terreno|terrenos|lote|lotes)$/, 'land'],
  [/^(comercial|comerciais|loja|lojas|galpao|galpoes|escritorio|escritorios|consultorio|barracao)$/, 'commercial'],
  [/^(sitio|sitios|chacara|chacaras|fazenda|fazendas|rancho|rural|haras)$/, 'rural'],
]
/** "em casa", "minha casa", "casa da minha mãe", "minha casa minha vida": not a property being looked for. */
const NOT_A_HOUSE_BEFORE = new Set(['em', 'minha', 'na', 'pra', 'sua', 'nossa', 'dessa', 'nessa', 'essa', 'de', 'ta'])
const NOT_A_HOUSE_AFTER = new Set(['da', 'do', 'dos', 'das', 'verde'])

function propertyTypesOf(tokens: Token[]): NonNullable<QualificationValues['propertyTypes']> {
  const found = new Set<(typeof TYPE_WORDS)[number][1]>()
  tokens.forEach(({ t }, i) => {
    const kind = TYPE_WORDS.find(([r]) => r.test(t))?.[1]
    if (!kind) return
    const prev = tokens[i - 1]?.t ?? ''
    const next = tokens[i + 1]?.t ?? ''
    if (kind === 'house' && t === 'casa' && (NOT_A_HOUSE_BEFORE.has(prev) || NOT_A_HOUSE_AFTER.has(next))) return
    if (kind === 'commercial' && t === 'comercial' && prev === 'horario') return
    found.add(kind)
  })
  return [...found]
}

/** Single-word place names that are also everyday words: they need a place cue or a capital letter. */
const COMMON_WORD_PLACES = new Set([
  'se',
  'saude',
  'paraiso',
  'liberdade',
  'centro',
  'vitoria',
  'esperanca',
  'gloria',
  'luz',
  'campo',
  'sol',
  'industrial',
  'alvorada',
  'progresso',
  'aurora',
  'primavera',
  'uniao',
  'estrela',
  'brasil',
  'santos',
  'planalto',
  'cambui',
])
const PLACE_CUES =
  /\b(no|na|em|bairro|pro|pra|para|perto d[oa]|proxim[oa] (a|ao|d[oa])|regiao d[oa]|lado d[oa]|zona|ou|e|,)\s*$/
/** Words places are often written short in: "Jd Paulista", "Vl. Mariana", "Pq São Jorge". */
const PLACE_WORD_FORMS: Record<string, string[]> = {
  jardim: ['jardim', 'jardin', 'jd', 'jdm'],
  vila: ['vila', 'vl'],
  parque: ['parque', 'pq'],
  santa: ['santa', 'sta'],
  santo: ['santo', 'sto'],
}
const SHORT_TO_FULL = new Map(Object.entries(PLACE_WORD_FORMS).flatMap(([full, forms]) => forms.map((f) => [f, full])))

/** A place's words as a pattern over folded text: any case or accents, short forms, spaces, dots or hyphens between. */
function placeWords(name: string): string[] {
  return fold(name)
    .text.split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => SHORT_TO_FULL.get(w) ?? w)
}

function placesOf(folded: Folded, knownPlaces: readonly string[]): string[] {
  const names = [...new Set(knownPlaces.map((p) => p.trim()).filter(Boolean))]
  const aliases = names.map((name) => ({ words: placeWords(name), name }))
  // "São Caetano" for "São Caetano do Sul", when no other place starts the same way.
  for (const { words, name } of [...aliases]) {
    const cut = words.findIndex((w, i) => i >= 2 && /^d[aeo]s?$/.test(w))
    if (cut < 0 || cut !== words.length - 2) continue
    const head = words.slice(0, cut)
    const sharing = aliases.filter((a) => head.every((w, i) => a.words[i] === w))
    if (sharing.length === 1) aliases.push({ words: head, name })
  }
  aliases.sort((a, b) => b.words.join(' ').length - a.words.join(' ').length)
  const text = folded.text
  const taken: [number, number][] = []
  const found: { at: number; name: string }[] = []
  for (const { words, name } of aliases) {
    if (!words.length) continue
    const pattern = words
      .map((w) => (PLACE_WORD_FORMS[w] ? `(?:${PLACE_WORD_FORMS[w].join('|')})` : w))
      .join('[\\s.-]+')
    for (const m of text.matchAll(new RegExp(`(?<![a-z0-9])${pattern}(?![a-z0-9])`, 'g'))) {
      const [from, to] = [m.index, m.index + m[0].length]
      if (taken.some(([a, b]) => from < b && to > a)) continue
      if (words.length === 1 && COMMON_WORD_PLACES.has(words[0]!)) {
        const cue = PLACE_CUES.test(text.slice(Math.max(0, from - 16), from))
        const at = folded.origin[from]!
        const capital = at > 0 && /\p{Lu}/u.test(folded.original[at]!)
        if (!cue && !capital) continue
      }
      taken.push([from, to])
      found.push({ at: from, name })
    }
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name))]
}

function financingOf(s: string): QualificationValues['financing'] {
  if (/\b(a vista|avista|dinheiro vivo|em especie|sem financiamento|sem financiar|sem precisar financiar)\b/.test(s))
    return 'cash'
  if (/\bnao (vou|quero|preciso|pretendo|vamos) financiar\b/.test(s)) return 'cash'
  if (
    /\b(nao sei|ainda nao decidi|nao decidi)\b.{0,30}\b(financ|pag|fgts)|\b(financ|pagament)\w*.{0,20}\bnao sei\b/.test(
      s,
    )
  )
    return 'unknown'
  if (/\b(fgts|fundo de garantia)\b/.test(s)) return 'fgts'
  if (
    /\b(financ(iar|iamento|iado|iada|io|iamos|iavel|iaveis)|pelo banco|caixa economica|mcmv|minha casa minha vida|casa verde e amarela|credito imobiliario|consorcio)\b/.test(
      s,
    )
  )
    return 'financing'
  return undefined
}

type Timeframe = NonNullable<QualificationValues['moveIn']>
const TIMEFRAME_WORDS: [RegExp, Timeframe][] = [
  [
    /\b(urgente|urgencia|imediat\w*|pra ja|para ja|(o )?quanto antes|o mais rapido|mais rapido possivel|pra ontem|(esse|este) mes|(essa|esta) semana|semana que vem|proxima semana|pra agora|para agora)\b/,
    'now',
  ],
  [/\b(mes que vem|proximo mes)\b/, 'up_to_3_months'],
  [/\b(meio do ano|meio ano|semestre)\b/, 'up_to_6_months'],
  [/\b(fim do ano|final do ano|final de ano|fim de ano|ano que vem|proximo ano)\b/, 'up_to_12_months'],
  [
    /\b(sem pressa|nao tenho pressa|nao tem pressa|sem urgencia|so pesquisando|so olhando|pesquisando ainda|ainda pesquisando|mais pra frente|mais para frente|futuramente|longo prazo|sem previsao)\b/,
    'later',
  ],
]
const NUMBER_WORD = Object.keys(WORD_NUMBERS).join('|')
const TIMEFRAME_SPAN = new RegExp(
  `\\b(em|daqui a|daqui|dentro de|nos proximos|proximos|ate|prazo de|uns|umas)\\s+(\\d+|${NUMBER_WORD})\\s+(dias?|semanas?|mes|meses|anos?)\\b(?! de (caucao|deposito|aluguel|adiantado|garantia))`,
)

function moveInOf(s: string): Timeframe | undefined {
  const candidates: { at: number; value: Timeframe }[] = []
  for (const [r, value] of TIMEFRAME_WORDS) {
    const m = r.exec(s)
    if (m) candidates.push({ at: m.index, value })
  }
  const span = TIMEFRAME_SPAN.exec(s)
  if (span) {
    const n = /^\d/.test(span[2]!) ? Number(span[2]) : WORD_NUMBERS[span[2]!]!
    const unit = span[3]!
    const months = unit.startsWith('dia')
      ? n / 30
      : unit.startsWith('semana')
        ? n / 4.3
        : unit.startsWith('ano')
          ? n * 12
          : n
    const value: Timeframe =
      months <= 1
        ? 'now'
        : months <= 3
          ? 'up_to_3_months'
          : months <= 6
            ? 'up_to_6_months'
            : months <= 12
              ? 'up_to_12_months'
              : 'later'
    candidates.push({ at: span.index, value })
  }
  return candidates.sort((a, b) => a.at - b.at)[0]?.value
}

// ---------------------------------------------------------------------------------------------------------------------
// Intents

const INTENT_PATTERNS: [Intent, RegExp[]][] = [
  [
    'greeting',
    [
      /^\W*(oi+e?|ola|opa|eai|e ai|eae|salve|hey|hello|alo)\b/,
      /\b(oi+e?|ola|bom dia|boa tarde|boa noite|tudo bem|tudo bom|td bem|tdb)\b/,
    ],
  ],
  [
    'human_request',
    [
      /\b(atendente|humano|humana|pessoa de verdade|pessoa real|alguem de verdade|ser humano)\b/,
      /\b(com|quero|chama|preciso de|passa pra) uma pessoa\b/,
      /\b(falar|conversar|fala|atendimento|contato) (direto )?(com )?(o |a |um |uma |algum |alguma |seu |teu )?(corretor|corretora|consultor|consultora|vendedor|vendedora|gerente|responsavel|alguem)\b/,
      /\b(chama|chame|passa|passe|transfere|transfira|manda) (o |a |um |uma |pra um |pro |para o |para um |pra alguem |algum )?(corretor|corretora|atendente|humano|alguem)\b/,
      /\b(me liga|me ligue|pode me ligar|liga pra mim|ligar pra mim|prefiro ligacao|prefiro por telefone)\b/,
      /\b(robo|bot|maquina)\b/,
    ],
  ],
  [
    'opt_out',
    [
      /^\W*(sair|parar|pare|para|stop|cancelar|descadastrar|remover)\W*$/,
      /\bnao (quero|desejo) (mais )?(receber )?(mensagens?|msg|msgs|contato)\b/,
      /\b(para|pare|parem|parar) de (me )?(mandar|enviar|mandarem|enviarem)\b/,
      /\b(me )?(tira|tire|remove|remova|exclui|exclua) (da lista|meu (numero|contato)|o meu numero)\b/,
      /\bnao me (mande|mandem|envie|enviem|chame|chamem) mais\b/,
      /\bdescadastr\w*/,
    ],
  ],
  [
    'frustration',
    [
      /\bja (falei|disse|respondi|mandei|informei|expliquei)\b/,
      /\b(to|tou|estou|fico) esperando\b/,
      /\bninguem (me )?(respond\w*|atende|fala|retorna)\b/,
      /\b(voces|vcs|vc|voce) nao (respond\w*|atende\w*|retorna\w*|entende\w*)\b/,
      /\bque demora\b|\bdemora(ndo|m)?\b|\bdemorou\b/,
      /\b(absurdo|palhacada|descaso|pessimo|horrivel|ridiculo|desrespeito|que saco|que raiva|desisto)\b/,
      /\baff+s?\b/,
      /\b(cade (voces|vcs|o corretor|a resposta|alguem)|tem alguem (ai|aqui|ae)|alguem (ai|ae)\b)/,
      /\bnao (entendeu|entende) nada\b/,
      /\?{3,}/,
      /^\W*(\w+\W*){0,2}\?{2,}\W*$/,
    ],
  ],
  [
    'question_price',
    [
      /\bquanto (custa|e|eh|fica|sai|ta|esta|vale|cobra\w*|seria|pede|pedem|quer)\b/,
      /\bqual (e |eh )?(o |a )?(valor|preco|faixa de preco)\b/,
      /\b(valor|preco|valores|precos)\b[^.!]*\?/,
      /\b(passa|passar|manda|mandar|informa|informar|diz|dizer|fala|falar|saber)\w* (o |os |a )?(valor|preco|valores|precos)\b/,
      /\b(condominio|iptu)\b[^.!]*\?/,
      /\bquanto\W*\?/,
    ],
  ],
  [
    'question_visit',
    [
      /\b(visita|visitas|visitar|agendar|agendamento)\b/,
      /\bmarcar (uma |um )?(visita|horario|hora)\b/,
      /\b(ver|conhecer|olhar) (o |a |esse |essa |este |esta |aquele |aquela )?(imovel|ap|ape|apto|apartamento|casa|terreno|sala|sobrado|cobertura)\b/,
      /\b(ir (ai )?ver|posso ir|da pra ver|dar uma olhada|ver pessoalmente)\b/,
    ],
  ],
  ['thanks', [/\b(obrigad[oa]s?|obg|obgd|brigad[oa]|valeu|vlw|agradec\w*|grat[oa]|gratidao|thanks)\b/]],
]

function intentsOf(s: string, original: string): Intent[] {
  const found = new Set<Intent>()
  for (const [intent, patterns] of INTENT_PATTERNS) if (patterns.some((r) => r.test(s))) found.add(intent)
  // Written in capitals, SAIR and PARAR are the opt-out keywords wherever they stand.
  if (/\b(SAIR|PARAR)\b/.test(original)) found.add('opt_out')
  return intents.filter((i) => found.has(i))
}
