import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@impera/ui'
import type { ReactNode } from 'react'
import { useT } from '../i18n'
import { LanguageSwitch } from './language-switch'

export function AuthLayout({
  title,
  description,
  children,
}: {
  title: string
  description?: ReactNode
  children: ReactNode
}) {
  const t = useT()
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 p-4">
      <div className="text-center">
        <p className="text-2xl font-bold tracking-tight text-primary">{t('app.name')}</p>
        <p className="text-sm text-muted-foreground">{t('app.tagline')}</p>
      </div>
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle>
            <span role="heading" aria-level={1}>
              {title}
            </span>
          </CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
      <LanguageSwitch />
    </main>
  )
}
