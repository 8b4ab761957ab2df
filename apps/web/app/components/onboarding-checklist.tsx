import { Link, useFetcher } from '@remix-run/react'
import type { OnboardingStep } from '@impera/api/services'
import { Button, Card, CardContent, CardDescription, CardHeader, CardTitle, Progress } from '@impera/ui'
import { Check, ChevronRight } from 'lucide-react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

/** Where each first step is done. */
const stepLinks: Record<OnboardingStep, string> = {
  team: '/app/members',
  whatsapp: '/app/settings/whatsapp',
  leads: '/app/imports',
  property: '/app/properties/new',
  distribution: '/app/settings/distribution',
}

/**
 * A new agency's first steps on its home page (managers): what is done, what is next and where to do it, with the
 * progress. It goes once every step is done, or when a manager puts it away ("Ocultar", for the whole agency).
 */
export function OnboardingChecklist({ steps }: { steps: { key: OnboardingStep; done: boolean }[] }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const done = steps.filter((s) => s.done).length
  const next = steps.find((s) => !s.done)?.key
  if (fetcher.formData?.get('intent') === 'dismissOnboarding') return null
  return (
    <Card data-testid="onboarding">
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <CardTitle>{t('onboarding.title')}</CardTitle>
          <CardDescription>{t('onboarding.progress', { done, total: steps.length })}</CardDescription>
        </div>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="dismissOnboarding" />
          <Button type="submit" size="sm" variant="ghost">
            {t('onboarding.dismiss')}
          </Button>
        </fetcher.Form>
      </CardHeader>
      <CardContent className="grid gap-3">
        <Progress
          value={done}
          max={steps.length}
          label={t('onboarding.title')}
          valueText={t('onboarding.progress', { done, total: steps.length })}
        />
        <ol className="grid gap-1">
          {steps.map((s) => (
            <li key={s.key} data-testid="onboarding-step" data-done={s.done}>
              <Link
                to={stepLinks[s.key]}
                className="flex items-center gap-3 rounded-md p-2 hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              >
                <span
                  aria-hidden
                  className={
                    s.done
                      ? 'flex size-6 shrink-0 items-center justify-center rounded-full bg-primary text-primary-foreground'
                      : 'flex size-6 shrink-0 items-center justify-center rounded-full border-2 border-muted-foreground/40'
                  }
                >
                  {s.done ? <Check className="size-4" /> : null}
                </span>
                <span className="grid min-w-0 flex-1">
                  <span className={s.done ? 'text-sm text-muted-foreground line-through' : 'text-sm font-medium'}>
                    {t(`onboarding.steps.${s.key}.title`)}
                    <span className="sr-only">
                      {' — '}
                      {t(s.done ? 'onboarding.doneLabel' : 'onboarding.todoLabel')}
                    </span>
                  </span>
                  {s.key === next ? (
                    <span className="text-xs text-muted-foreground">{t(`onboarding.steps.${s.key}.hint`)}</span>
                  ) : null}
                </span>
                {s.done ? null : <ChevronRight aria-hidden className="size-4 text-muted-foreground" />}
              </Link>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  )
}
