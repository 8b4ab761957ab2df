import { useNavigate } from '@remix-run/react'
import { Button, Dialog, DialogContent, DialogTitle } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useT } from '../i18n'
import { lazyPart } from '../lib/lazy-part'

const SearchPalette = lazyPart(() => import('./global-search-palette').then((m) => m.SearchPalette))

/**
 * The command palette (⌘K / Ctrl+K, or the search button): one box that finds any record the member may see, grouped
 * by type, arrows to move, Enter to open (global-search-palette.tsx).
 */
export function GlobalSearch() {
  const t = useT()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setOpen((o) => !o)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  const go = (href: string) => {
    setOpen(false)
    navigate(href)
  }
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className="gap-2 text-muted-foreground"
        onClick={() => setOpen(true)}
        data-testid="search-open"
        aria-keyshortcuts="Control+K Meta+K"
        // Below lg the word is hidden and only the magnifier shows: the button still says what it does.
        aria-label={t('search.button')}
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" />
        </svg>
        <span className="hidden lg:inline">{t('search.button')}</span>
        <kbd className="hidden rounded border px-1 text-[10px] lg:inline">Ctrl K</kbd>
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          className="top-[10%] max-w-xl translate-y-0 p-0"
          closeLabel={t('common.close')}
          aria-describedby={undefined}
        >
          <DialogTitle className="sr-only">{t('search.title')}</DialogTitle>
          <SearchPalette onGo={go} />
        </DialogContent>
      </Dialog>
    </>
  )
}
