import { MoreHorizontal, type LucideIcon } from 'lucide-react'
import * as React from 'react'
import { Button } from './button'
import { cn } from './cn'
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from './dropdown'

/** A page's secondary action: a page of the app (`to`), a file (`href`, downloaded) or a command (`onSelect`). */
export type PageAction = {
  id: string
  label: string
  icon?: LucideIcon
  destructive?: boolean
  testId?: string
} & ({ to: string } | { href: string; download?: boolean } | { onSelect: () => void; loading?: boolean })

/**
 * How the app draws a link to one of its pages (Remix's Link); packages/ui knows no router. It must pass every prop and
 * its ref on to the anchor: a button and a menu item wrap it (Slot) and add their own.
 */
export type PageLink = React.ForwardRefExoticComponent<
  { to: string } & React.AnchorHTMLAttributes<HTMLAnchorElement> & React.RefAttributes<HTMLAnchorElement>
>

/**
 * The head of every page: the title (with a way back and a line under it), the page's own controls (view tabs, a
 * status) and its primary action, and the secondary actions — buttons from `md` up, one "more actions" menu on a phone,
 * where a row of five buttons would wrap into a wall before the content.
 */
export function PageHeader({
  title,
  titleTestId,
  back,
  description,
  controls,
  primary,
  actions = [],
  moreLabel,
  link: LinkTo,
}: {
  title: React.ReactNode
  titleTestId?: string
  back?: { to: string; label: string }
  description?: React.ReactNode
  /** Beside the actions, on every width (tabs, a status control). */
  controls?: React.ReactNode
  primary?: React.ReactNode
  /** Falsy entries are skipped, so a caller can list actions the person may not have. */
  actions?: (PageAction | false | null | undefined)[]
  moreLabel: string
  link: PageLink
}) {
  const visible = actions.filter((a): a is PageAction => !!a)
  return (
    <header className="flex flex-col gap-1">
      {back ? (
        <LinkTo
          to={back.to}
          className="w-fit rounded-sm text-sm text-primary hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
        >
          ← {back.label}
        </LinkTo>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-2">
        <div className="flex min-w-0 flex-col gap-1">
          <h1 className="text-2xl font-bold tracking-tight break-words" data-testid={titleTestId}>
            {title}
          </h1>
          {description}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {controls}
          {visible.map((a) => (
            <span key={a.id} className="hidden md:contents">
              <ActionButton action={a} link={LinkTo} />
            </span>
          ))}
          {visible.length ? (
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="outline" size="icon" aria-label={moreLabel} className="md:hidden">
                  <MoreHorizontal aria-hidden />
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="end">
                {visible.map((a) => (
                  <ActionItem key={a.id} action={a} link={LinkTo} />
                ))}
              </DropdownMenuContent>
            </DropdownMenu>
          ) : null}
          {primary}
        </div>
      </div>
    </header>
  )
}

function ActionButton({ action: a, link: LinkTo }: { action: PageAction; link: PageLink }) {
  const Icon = a.icon
  const content = (
    <>
      {Icon ? <Icon aria-hidden /> : null}
      {a.label}
    </>
  )
  const variant = a.destructive ? 'destructive' : 'outline'
  if ('to' in a)
    return (
      <Button asChild variant={variant} data-testid={a.testId}>
        <LinkTo to={a.to}>{content}</LinkTo>
      </Button>
    )
  if ('href' in a)
    return (
      <Button asChild variant={variant} data-testid={a.testId}>
        {/* A file, not a page: the browser downloads it. */}
        <a href={a.href} download={a.download}>
          {content}
        </a>
      </Button>
    )
  return (
    <Button type="button" variant={variant} onClick={a.onSelect} loading={a.loading} data-testid={a.testId}>
      {content}
    </Button>
  )
}

function ActionItem({ action: a, link: LinkTo }: { action: PageAction; link: PageLink }) {
  const Icon = a.icon
  const content = (
    <>
      {Icon ? <Icon aria-hidden className="size-4 text-muted-foreground" /> : null}
      {a.label}
    </>
  )
  const className = cn(a.destructive && 'text-destructive focus:text-destructive')
  if ('to' in a)
    return (
      <DropdownMenuItem asChild className={className}>
        <LinkTo to={a.to}>{content}</LinkTo>
      </DropdownMenuItem>
    )
  if ('href' in a)
    return (
      <DropdownMenuItem asChild className={className}>
        <a href={a.href} download={a.download}>
          {content}
        </a>
      </DropdownMenuItem>
    )
  return (
    <DropdownMenuItem className={className} onSelect={a.onSelect}>
      {content}
    </DropdownMenuItem>
  )
}
