/** Lowercase, without accents or punctuation, spaces collapsed: how phrases and words are compared. */
export function foldPhrase(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}
