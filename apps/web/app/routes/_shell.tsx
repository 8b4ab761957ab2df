import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet, useLoaderData, useLocation, useNavigation, useSubmit } from '@remix-run/react'
import { brandCss, logoUrl } from '@impera/api/branding'
import { permissionsOf, type Action } from '@impera/api/permissions'
import {
  Button,
  cn,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
  PageSkeleton,
  Sheet,
  SheetContent,
  SheetTrigger,
  DialogTitle,
} from '@impera/ui'
import {
  Building2,
  CalendarCheck,
  ChartColumn,
  CircleUser,
  Globe,
  House,
  LayoutDashboard,
  Menu,
  MessageCircle,
  Settings,
  Target,
  Users,
  UsersRound,
  type LucideIcon,
} from 'lucide-react'
import { useEffect, useState } from 'react'
import { GlobalSearch } from '../components/global-search'
import { NotificationBell } from '../components/notification-bell'
import { DEFAULT_TIME_ZONE, TimeZone, useI18n, useT } from '../i18n'
import { LiveProvider, useRevalidateOnWhatsapp } from '../lib/live'
import { pageShape, skeletonKind } from '../lib/page-shape'
import { requireIdentity, requireMember } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const path = new URL(request.url).pathname
  if (path.startsWith('/app')) await requireMember(context, request)
  await requireIdentity(context, request)
  const me = (await context.scope.me())!
  if (path.startsWith('/admin') && !me.user.isPlatformAdmin) throw new Response('Forbidden', { status: 403 })
  const active =
    me.memberships.find((m) => m.agencyId === context.scope.agencyId && m.agencyStatus === 'active') ?? null
  const caller = active ? await context.scope.caller() : null
  const [unread, notifications] = caller
    ? await Promise.all([caller.whatsapp.unread().catch(() => 0), caller.notifications.unread().catch(() => 0)])
    : [0, 0]
  return {
    unread,
    notifications,
    user: { name: me.user.name, email: me.user.email },
    isPlatformAdmin: me.user.isPlatformAdmin,
    memberships: me.memberships.filter((m) => m.agencyStatus === 'active'),
    active,
    permissions: active ? [...permissionsOf(active.role)] : [],
    // Times on every page are the agency's; outside one (platform staff), the default zone.
    timeZone: active?.timezone ?? DEFAULT_TIME_ZONE,
    // The agency's colour and logo (issue 18), rendered on the server: no page flashes Impera's green first.
    brand: { css: brandCss(active?.brandColor), logoUrl: logoUrl(active?.logoKey) },
  }
}

interface NavItem {
  to: string
  label: string
  icon: LucideIcon
  needs?: Action
  end?: boolean
  badge?: number
}

const badgeText = (n: number) => (n >= 100 ? '99+' : String(n))

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const agencyItems: NavItem[] = [
    { to: '/app', label: t('nav.home'), icon: LayoutDashboard, end: true, needs: 'agency.read' },
    { to: '/app/today', label: t('nav.today'), icon: CalendarCheck, needs: 'records.read' },
    { to: '/app/leads', label: t('nav.leads'), icon: Target, needs: 'records.read' },
    { to: '/app/clients', label: t('nav.clients'), icon: Users, needs: 'records.read' },
    { to: '/app/properties', label: t('nav.properties'), icon: House, needs: 'records.read' },
    { to: '/app/inbox', label: t('nav.inbox'), icon: MessageCircle, needs: 'records.read', badge: data.unread },
    { to: '/app/reports', label: t('nav.reports'), icon: ChartColumn, needs: 'records.read' },
    { to: '/app/members', label: t('nav.members'), icon: UsersRound, needs: 'members.read' },
    { to: '/app/settings', label: t('nav.settings'), icon: Settings, needs: 'agency.settings.update' },
  ]
  const items: NavItem[] = [
    ...(data.active ? agencyItems.filter((i) => !i.needs || data.permissions.includes(i.needs)) : []),
    ...(data.isPlatformAdmin
      ? [
          { to: '/admin/overview', label: t('nav.overview'), icon: Globe },
          { to: '/admin/agencies', label: t('nav.agencies'), icon: Building2 },
        ]
      : []),
    { to: '/profile', label: t('nav.profile'), icon: CircleUser },
  ]
  return (
    <nav aria-label="Main" className="grid gap-1">
      {items.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          end={item.end}
          prefetch="intent"
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'rounded-md px-3 py-2 text-sm font-medium hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
              isActive && 'bg-accent text-accent-foreground',
            )
          }
        >
          <span className="flex items-center gap-3">
            <item.icon className="size-4 shrink-0 opacity-80" aria-hidden />
            <span className="flex-1">{item.label}</span>
            {item.badge ? (
              <span
                className="rounded-full bg-primary px-2 text-xs font-semibold text-primary-foreground"
                data-testid="unread-badge"
                aria-label={`(${badgeText(item.badge)})`}
              >
                {badgeText(item.badge)}
              </span>
            ) : null}
          </span>
        </NavLink>
      ))}
    </nav>
  )
}

/**
 * The phone's tab bar (issue 18): the four places an agent lives in, one thumb away, and "Mais" for the rest (the
 * full navigation in a panel). Hidden inside a conversation, where the composer owns the bottom of the screen.
 */
function BottomNav({ onMore }: { onMore: () => void }) {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const tabs = [
    { to: '/app/today', label: t('nav.today'), icon: CalendarCheck },
    { to: '/app/leads', label: t('nav.leads'), icon: Target },
    { to: '/app/inbox', label: t('nav.inboxShort'), icon: MessageCircle, badge: data.unread },
    { to: '/app/properties', label: t('nav.properties'), icon: House },
  ]
  const tab =
    'flex min-h-14 flex-1 flex-col items-center justify-center gap-0.5 px-1 text-[0.6875rem] font-medium text-muted-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none focus-visible:ring-inset'
  return (
    <nav
      aria-label={t('nav.tabs')}
      data-testid="bottom-nav"
      data-tab-bar
      className="fixed inset-x-0 bottom-0 z-40 flex border-t bg-background/95 pb-[env(safe-area-inset-bottom)] backdrop-blur md:hidden"
    >
      {tabs.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          prefetch="intent"
          className={({ isActive }) => cn(tab, isActive && 'text-primary')}
        >
          <span className="relative">
            <item.icon className="size-5" aria-hidden />
            {item.badge ? (
              <span
                className="absolute -top-1.5 left-3 min-w-4 rounded-full bg-primary px-1 text-center text-[0.625rem] leading-4 font-semibold text-primary-foreground"
                aria-label={`(${badgeText(item.badge)})`}
              >
                {badgeText(item.badge)}
              </span>
            ) : null}
          </span>
          {item.label}
        </NavLink>
      ))}
      <button type="button" className={tab} onClick={onMore} aria-haspopup="dialog">
        <Menu className="size-5" aria-hidden />
        {t('nav.more')}
      </button>
    </nav>
  )
}

/** Keeps the sidebar's unread count live (new inbound messages revalidate the shell). */
function UnreadRefresh() {
  useRevalidateOnWhatsapp((e) => e.kind === 'message' || e.kind === 'conversation')
  return null
}

const languages = [
  ['pt-BR', 'Português (Brasil)'],
  ['en', 'English'],
] as const

/**
 * The user menu's language choice posts to /locale as a plain form (a whole new document, like the sign-in pages'
 * switch): every string, date format and client-side state is rebuilt in the new language at once. A menu item
 * unmounts on select, so the form is made for the moment.
 */
function switchLanguage(locale: string) {
  const form = document.createElement('form')
  form.method = 'post'
  form.action = '/locale'
  for (const [name, value] of [
    ['locale', locale],
    ['redirectTo', window.location.pathname + window.location.search],
  ]) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name!
    input.value = value!
    form.append(input)
  }
  document.body.append(form)
  form.submit()
}

/** How long a change of page may take before its skeleton replaces the old page (a fast one never flashes it). */
const SKELETON_AFTER_MS = 250

/**
 * Whether the page being left should give way to a skeleton: a navigation to another kind of page (not the same page
 * with other data — another conversation, other filters) that has taken longer than SKELETON_AFTER_MS.
 */
function useSlowPageChange(pathname: string, navigation: ReturnType<typeof useNavigation>) {
  const target =
    navigation.state === 'loading' && pageShape(navigation.location.pathname) !== pageShape(pathname)
      ? navigation.location.pathname
      : null
  const [slow, setSlow] = useState(false)
  useEffect(() => {
    if (!target) return setSlow(false)
    const timer = setTimeout(() => setSlow(true), SKELETON_AFTER_MS)
    return () => clearTimeout(timer)
  }, [target])
  return slow && target !== null ? skeletonKind(target) : null
}

export default function Shell() {
  const { t, locale } = useI18n()
  const data = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const submit = useSubmit()
  const [menuOpen, setMenuOpen] = useState(false)
  const { pathname } = useLocation()
  const slowPage = useSlowPageChange(pathname, navigation)
  // Agency members get the tab bar on a phone; a conversation's own screen keeps the bottom for its composer.
  const tabs = Boolean(data.active && data.permissions.includes('records.read'))
  const tabBar = tabs && !/^\/app\/inbox\/[^/]+/.test(pathname)
  const place = data.active ? data.active.agencyName : data.isPlatformAdmin ? t('nav.admin') : ''
  const layout = (
    <div className="flex min-h-dvh">
      {data.brand.css ? <style data-testid="brand-css">{data.brand.css}</style> : null}
      <aside className="hidden w-60 shrink-0 flex-col gap-6 border-r bg-muted/30 p-4 md:flex">
        <p className="px-3 text-lg font-bold text-primary">{t('app.name')}</p>
        <Navigation />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-2 border-b px-3 sm:px-4">
          <Sheet open={menuOpen} onOpenChange={setMenuOpen}>
            {/* With the tab bar, "Mais" opens the panel; without it (platform staff), this button does. */}
            <SheetTrigger asChild>
              <Button
                variant="ghost"
                size="icon"
                className={cn('md:hidden', tabBar && 'hidden')}
                aria-label={t('nav.openMenu')}
              >
                <Menu className="size-5" aria-hidden />
              </Button>
            </SheetTrigger>
            <SheetContent closeLabel={t('common.close')} aria-describedby={undefined}>
              <DialogTitle className="text-primary">{t('app.name')}</DialogTitle>
              <Navigation onNavigate={() => setMenuOpen(false)} />
            </SheetContent>
          </Sheet>
          <div className="flex min-w-0 flex-1 items-center gap-1">
            {data.brand.logoUrl ? (
              <img src={data.brand.logoUrl} alt="" className="h-8 w-auto max-w-24 shrink-0 object-contain" />
            ) : null}
            {data.memberships.length > 1 && data.active ? (
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button variant="ghost" className="max-w-full truncate font-semibold" data-testid="agency-name">
                    {place} <span aria-hidden>▾</span>
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="start">
                  <DropdownMenuLabel>{t('nav.switchAgency')}</DropdownMenuLabel>
                  {data.memberships.map((m) => (
                    <DropdownMenuItem
                      key={m.agencyId}
                      onSelect={() => submit({ agencyId: m.agencyId }, { method: 'post', action: '/agency/select' })}
                    >
                      {m.agencyName} · {t(`roles.${m.role}`)}
                    </DropdownMenuItem>
                  ))}
                </DropdownMenuContent>
              </DropdownMenu>
            ) : (
              <p className="min-w-0 truncate px-2 font-semibold" data-testid="agency-name">
                {place}
              </p>
            )}
          </div>
          {navigation.state === 'loading' ? (
            <span
              className="size-4 animate-spin rounded-full border-2 border-primary border-t-transparent"
              role="status"
              aria-label={t('common.loading')}
            />
          ) : null}
          {data.active && data.permissions.includes('records.read') ? <GlobalSearch /> : null}
          {data.active ? <NotificationBell initialUnread={data.notifications} /> : null}
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="outline" size="sm" data-testid="user-menu">
                <span className="max-w-32 truncate">{data.user.name}</span>
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuLabel>
                {data.user.email}
                {data.active
                  ? ` · ${t(`roles.${data.active.role}`)}`
                  : data.isPlatformAdmin
                    ? ` · ${t('roles.platform_admin')}`
                    : ''}
              </DropdownMenuLabel>
              <DropdownMenuSeparator />
              <DropdownMenuItem asChild>
                <NavLink to="/profile">{t('nav.profile')}</NavLink>
              </DropdownMenuItem>
              <DropdownMenuSeparator />
              <DropdownMenuLabel className="font-normal text-muted-foreground">
                {t('common.language')}
              </DropdownMenuLabel>
              {languages.map(([code, name]) => (
                <DropdownMenuItem
                  key={code}
                  lang={code}
                  aria-current={locale === code ? 'true' : undefined}
                  data-testid={`language-${code}`}
                  onSelect={() => switchLanguage(code)}
                >
                  <span aria-hidden className="w-4">
                    {locale === code ? '✓' : ''}
                  </span>
                  {name}
                </DropdownMenuItem>
              ))}
              <DropdownMenuSeparator />
              {/* Menu items unmount on select, so they submit programmatically rather than through a nested form. */}
              <DropdownMenuItem onSelect={() => submit(null, { method: 'post', action: '/logout' })}>
                {t('nav.logout')}
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        </header>
        <main className={cn('flex-1 p-3 sm:p-6', tabBar && 'pb-20 md:pb-6')} aria-busy={slowPage ? true : undefined}>
          {data.active ? <UnreadRefresh /> : null}
          {/* The page stays mounted (its state survives a navigation that is interrupted), hidden behind the skeleton. */}
          <div hidden={!!slowPage} className={slowPage ? 'hidden' : 'contents'}>
            <Outlet />
          </div>
          {slowPage ? <PageSkeleton kind={slowPage} /> : null}
        </main>
        {tabBar ? <BottomNav onMore={() => setMenuOpen(true)} /> : null}
      </div>
    </div>
  )
  return (
    <TimeZone zone={data.timeZone}>
      {data.active ? <LiveProvider agencyId={data.active.agencyId}>{layout}</LiveProvider> : layout}
    </TimeZone>
  )
}
