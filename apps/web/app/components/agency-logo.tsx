import { useFetcher, useRevalidator } from '@remix-run/react'
import { Alert, Button, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@impera/ui'
import { ImageUp } from 'lucide-react'
import { useRef, useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { uploadWithProgress } from '../lib/upload'
import { useResultToast } from './use-result-toast'

/**
 * Settings → the agency's logo (issue 18): shown in the app's header and on shared listing pages. Sent with progress
 * to POST /uploads/agency/logo; removed through the settings action.
 */
export function AgencyLogo({ logoUrl }: { logoUrl: string | null }) {
  const { t } = useI18n()
  const input = useRef<HTMLInputElement>(null)
  const revalidator = useRevalidator()
  const remove = useFetcher<FormResult>()
  useResultToast(remove.data)
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const send = async (file: File | undefined) => {
    if (!file) return
    setError(null)
    setProgress(0)
    try {
      const form = new FormData()
      form.append('logo', file, file.name)
      const r = await uploadWithProgress('/uploads/agency/logo', form, setProgress, 'settings.logoTooLarge')
      if (r.status === 201) revalidator.revalidate()
      else setError(r.body.message ?? 'errors.internal')
    } catch {
      setError('imports.errors.network')
    } finally {
      setProgress(null)
      if (input.current) input.current.value = ''
    }
  }
  return (
    <Card data-testid="agency-logo">
      <CardHeader>
        <CardTitle>{t('settings.logo')}</CardTitle>
        <CardDescription>{t('settings.logoHint')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-wrap items-center gap-4">
        <div className="grid size-20 place-items-center rounded-md border bg-muted/40">
          {logoUrl ? (
            <img src={logoUrl} alt={t('settings.logoCurrent')} className="max-h-16 max-w-16 object-contain" />
          ) : (
            <ImageUp aria-hidden className="size-6 text-muted-foreground" />
          )}
        </div>
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          className="sr-only"
          tabIndex={-1}
          aria-label={t('settings.logoChoose')}
          onChange={(e) => void send(e.target.files?.[0])}
        />
        <Button type="button" variant="outline" disabled={progress !== null} onClick={() => input.current?.click()}>
          {progress !== null ? t('imports.upload.sending', { percent: progress }) : t('settings.logoChoose')}
        </Button>
        {logoUrl ? (
          <remove.Form method="post">
            <input type="hidden" name="intent" value="removeLogo" />
            <Button type="submit" variant="ghost" disabled={remove.state !== 'idle'}>
              {t('settings.logoRemove')}
            </Button>
          </remove.Form>
        ) : null}
        {error ? (
          <Alert variant="destructive" role="alert" className="basis-full">
            {t(error)}
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  )
}
