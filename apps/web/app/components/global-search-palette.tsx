import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useT } from '../i18n'
import { trpc } from '../lib/trpc-client'

type Results = Awaited<ReturnType<typeof trpc.search.global.query>>
const groups = ['leads', 'clients', 'properties', 'conversations'] as const

function hrefOf(group: (typeof groups)[number], hit: { id: string; messageSeq?: number }) {
  if (group === 'conversations')
    return `/app/inbox/${hit.id}${hit.messageSeq ? `?before=${hit.messageSeq + 1}#seq-${hit.messageSeq}` : ''}`
  return `/app/${group}/${hit.id}`
}

/**
 * The palette's box and results (global-search.tsx opens it): its code (cmdk) loads when it is first opened. Results
 * come from the server (search.global), debounced; the newest query wins, so a slow answer to an older one never
 * replaces it.
 */
export function SearchPalette({ onGo }: { onGo: (href: string) => void }) {
  const t = useT()
  const [q, setQ] = useState('')
  const [results, setResults] = useState<Results | null>(null)
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle')
  useEffect(() => {
    const term = q.trim()
    if (term.length < 2) {
      setResults(null)
      setState('idle')
      return
    }
    let live = true
    setState('loading')
    const timer = setTimeout(() => {
      trpc.search.global
        .query({ q: term })
        .then((r) => live && (setResults(r), setState('idle')))
        .catch(() => live && setState('failed'))
    }, 180)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [q])
  const total = results ? groups.reduce((n, g) => n + results[g].length, 0) : 0
  return (
    <Command shouldFilter={false} label={t('search.title')} loop>
      <CommandInput
        value={q}
        onValueChange={setQ}
        placeholder={t('search.placeholder')}
        aria-label={t('search.title')}
        autoFocus
        data-testid="search-input"
      />
      <CommandList className="max-h-[60vh]" aria-busy={state === 'loading'}>
        {q.trim().length < 2 ? (
          <p className="px-3 py-6 text-center text-sm text-muted-foreground">{t('search.hint')}</p>
        ) : null}
        {state === 'failed' ? (
          <p className="px-3 py-6 text-center text-sm text-destructive">{t('errors.internal')}</p>
        ) : null}
        {state === 'loading' && !results ? (
          <p className="px-3 py-6 text-center text-sm text-muted-foreground" role="status">
            {t('common.loading')}
          </p>
        ) : null}
        {results && total === 0 && state !== 'loading' ? <CommandEmpty>{t('records.noMatches')}</CommandEmpty> : null}
        {results
          ? groups.map((g) =>
              results[g].length ? (
                <CommandGroup key={g} heading={t(`search.groups.${g}`)} data-testid={`search-group-${g}`}>
                  {results[g].map((hit, i) => (
                    <CommandItem
                      key={`${hit.id}-${i}`}
                      value={`${g}-${hit.id}-${i}`}
                      onSelect={() => onGo(hrefOf(g, hit))}
                      data-testid="search-hit"
                    >
                      <span className="grid min-w-0">
                        <span className="truncate font-medium">{hit.title}</span>
                        {hit.subtitle ? (
                          <span className="truncate text-xs text-muted-foreground">{hit.subtitle}</span>
                        ) : null}
                      </span>
                    </CommandItem>
                  ))}
                </CommandGroup>
              ) : null,
            )
          : null}
      </CommandList>
    </Command>
  )
}
