import * as React from 'react'
import { cn } from './cn'

/** Backgrounds that keep white initials at 4.5:1 or more, picked by the name so a person keeps one colour. */
const tones = [
  'bg-emerald-700',
  'bg-sky-700',
  'bg-violet-700',
  'bg-rose-700',
  'bg-amber-700',
  'bg-teal-700',
  'bg-indigo-700',
]

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const first = words[0]?.[0] ?? '?'
  const last = words.length > 1 ? words.at(-1)![0]! : ''
  return (first + last).toLocaleUpperCase()
}

/** A person's initials in a coloured circle (the product has no profile photos). Decorative: the name is beside it. */
export function Avatar({ name, className }: { name: string; className?: string }) {
  let hash = 0
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) | 0
  return (
    <span
      aria-hidden
      className={cn(
        'inline-flex size-6 shrink-0 items-center justify-center rounded-full text-[0.625rem] font-semibold text-white',
        tones[Math.abs(hash) % tones.length],
        className,
      )}
    >
      {initials(name)}
    </span>
  )
}
