import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { Button, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@impera/ui'
import { useT } from '../i18n'
import { requireMember } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { me, role } = await requireMember(context, request)
  const caller = await context.scope.caller()
  const [agency, members] = await Promise.all([caller.agency.get(), caller.members.list()])
  return { name: me.user.name, role, agencyName: agency.name, activeMembers: members.filter((m) => m.status === 'active').length, canManage: can(role, 'members.invite') }
}

export default function Home() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <h1 className="text-2xl font-bold">{t('home.title', { name: d.name })}</h1>
      <div className="grid gap-4 sm:grid-cols-3">
        <Card>
          <CardHeader>
            <CardDescription>{t('home.agency')}</CardDescription>
            <CardTitle>{d.agencyName}</CardTitle>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>{t('home.role')}</CardDescription>
            <CardTitle data-testid="my-role">{t(`roles.${d.role}`)}</CardTitle>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>{t('home.members')}</CardDescription>
            <CardTitle>{d.activeMembers}</CardTitle>
          </CardHeader>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>{t('home.next')}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <p className="text-muted-foreground">{d.canManage ? t('home.nextManager') : t('home.nextAgent')}</p>
          {d.canManage ? (
            <div className="flex flex-wrap gap-2">
              <Button asChild>
                <Link to="/app/members">{t('members.invite')}</Link>
              </Button>
              <Button asChild variant="outline">
                <Link to="/app/settings">{t('nav.settings')}</Link>
              </Button>
            </div>
          ) : null}
        </CardContent>
      </Card>
    </div>
  )
}
