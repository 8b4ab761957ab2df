import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData, useRevalidator } from '@remix-run/react'
import { Button, Card, CardContent, CardHeader, CardTitle } from '@impera/ui'
import { useEffect } from 'react'
import { useI18n } from '../i18n'

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how a dual-stack socket reports an IPv4 peer). */
const isLoopback = (ip: string | null) => !!ip && /^(::ffff:)?127(\.\d{1,3}){3}$|^::1$/i.test(ip)

/**
 * Where e-mails go in development when no SMTP server is configured. Absent (404) in production, and to anyone but
 * this machine or a signed-in platform admin: it holds every agency's invitation and password-reset links. The client
 * address is the one the server derived (socket, or the trusted proxy's header), never one the client sent.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const notFound = () => new Response('Not found', { status: 404 })
  if (!context.app.env.devMailbox) throw notFound()
  if (!isLoopback(context.scope.ip)) {
    const me = await context.scope.me()
    if (!me?.user.isPlatformAdmin) throw notFound()
  }
  const mails = await context.app.devMailbox()
  return { mails: mails.map((m) => ({ ...m, created_at: String(m.created_at) })) }
}

const linkify = (text: string) =>
  text.split(/(https?:\/\/\S+)/g).map((part, i) =>
    /^https?:\/\//.test(part) ? (
      <a key={i} href={part} className="break-all text-primary underline">
        {part}
      </a>
    ) : (
      part
    ),
  )

export default function DevMailbox() {
  const { t, dateTime } = useI18n()
  const { mails } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  // E-mails arrive from the worker a moment after the action; refresh while the page is open.
  useEffect(() => {
    const id = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 2000)
    return () => clearInterval(id)
  }, [revalidator])
  return (
    <main className="mx-auto grid max-w-3xl gap-4 p-4">
      <h1 className="text-2xl font-bold">{t('mailbox.title')}</h1>
      <p className="text-muted-foreground">{t('mailbox.help')}</p>
      <Button variant="outline" className="w-fit" onClick={() => revalidator.revalidate()}>
        ↻
      </Button>
      {mails.length === 0 ? <p>{t('mailbox.empty')}</p> : null}
      {mails.map((m) => (
        <Card key={m.id} data-testid="mail">
          <CardHeader>
            <CardTitle>{m.subject}</CardTitle>
            <p className="text-sm text-muted-foreground">
              {t('mailbox.to')}: <span data-testid="mail-to">{m.to}</span> · {dateTime(m.created_at)}
            </p>
          </CardHeader>
          <CardContent>
            <p className="text-sm whitespace-pre-wrap">{linkify(m.text)}</p>
          </CardContent>
        </Card>
      ))}
    </main>
  )
}
