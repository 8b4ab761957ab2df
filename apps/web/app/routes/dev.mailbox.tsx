import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData, useRevalidator } from '@remix-run/react'
import { Button, Card, CardContent, CardHeader, CardTitle } from '@impera/ui'
import { useEffect } from 'react'
import { formatDateTime, useI18n } from '../i18n'

/** Where e-mails go in development when no SMTP server is configured. Absent (404) in production. */
export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.app.env.devMailbox) throw new Response('Not found', { status: 404 })
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
  const { t, locale } = useI18n()
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
              {t('mailbox.to')}: <span data-testid="mail-to">{m.to}</span> · {formatDateTime(locale, m.created_at)}
            </p>
          </CardHeader>
          <CardContent>
            <p className="whitespace-pre-wrap text-sm">{linkify(m.text)}</p>
          </CardContent>
        </Card>
      ))}
    </main>
  )
}
