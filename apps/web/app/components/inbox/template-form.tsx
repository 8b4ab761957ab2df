import { useFetcher } from '@remix-run/react'
import { fillTemplate } from '@impera/api/schemas'
import { Button, Field, Input, Select, Textarea } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { useResultToast } from '../use-result-toast'

/** An approved template of the conversation's number, as synced from Meta. */
export interface MessageTemplate {
  id: string
  name: string
  language: string
  /** How many {{n}} parameters its body takes. */
  params: number
  body: string
}

/**
 * Outside the 24-hour window only an approved template can be sent: picked from the number's synced templates, with
 * one field per parameter and a live preview. Without synced templates (or by choice), the name is typed by hand.
 */
export function TemplateForm({
  open,
  templates,
  conversationId,
}: {
  open: boolean
  templates: MessageTemplate[]
  /** Sent along when the page's action is not the conversation's own (a lead's or client's page). */
  conversationId?: string
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const [id, setId] = useState(() => crypto.randomUUID())
  // Typing a name is the only way while nothing is synced; templates synced meanwhile show up on the next load.
  const [typing, setTyping] = useState(false)
  const manual = typing || templates.length === 0
  const [picked, setPicked] = useState(0)
  const [values, setValues] = useState<string[]>([])
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) {
      setId(crypto.randomUUID())
      setValues([])
    }
  }, [fetcher.state, fetcher.data])
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m))
  const template = manual ? undefined : (templates[picked] ?? templates[0])
  return (
    <details open={open} className="rounded-md border p-2">
      <summary className="cursor-pointer text-sm font-medium">{t('whatsapp.template')}</summary>
      <fetcher.Form method="post" className="mt-2 grid gap-2 sm:grid-cols-2" data-testid="template-form">
        <input type="hidden" name="intent" value="template" />
        <input type="hidden" name="id" value={id} />
        {conversationId ? <input type="hidden" name="conversationId" value={conversationId} /> : null}
        <p className="text-xs text-muted-foreground sm:col-span-2">
          {templates.length ? t('whatsapp.templateHelp') : t('whatsapp.templatesNone')}
        </p>
        {template ? (
          <>
            <input type="hidden" name="name" value={template.name} />
            <input type="hidden" name="language" value={template.language} />
            <Field label={t('whatsapp.templatePick')} className="sm:col-span-2" errors={errors('name')}>
              {(p) => (
                <Select
                  {...p}
                  value={templates[picked] ? picked : 0}
                  onChange={(e) => {
                    setPicked(Number(e.currentTarget.value))
                    setValues([])
                  }}
                  data-testid="template-select"
                >
                  {templates.map((x, i) => (
                    <option key={x.id} value={i}>
                      {x.name} ({x.language})
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {Array.from({ length: template.params }, (_, i) => (
              <Field
                key={`${template.id}-${i}`}
                label={t('whatsapp.templateParam', { n: i + 1 })}
                errors={i === 0 ? errors('parameters') : undefined}
              >
                {(p) => (
                  <Input
                    {...p}
                    name="parameter"
                    required
                    autoComplete="off"
                    value={values[i] ?? ''}
                    onChange={(e) => {
                      // Read now: React reuses the event before the state update runs.
                      const value = e.currentTarget.value
                      setValues((vs) => Object.assign([...vs], { [i]: value }))
                    }}
                  />
                )}
              </Field>
            ))}
            <figure className="rounded-md bg-muted p-2 text-sm sm:col-span-2">
              <figcaption className="text-xs text-muted-foreground">{t('whatsapp.templatePreview')}</figcaption>
              <p className="whitespace-pre-wrap" data-testid="template-preview">
                {fillTemplate(template.body, values)}
              </p>
            </figure>
          </>
        ) : (
          <>
            <Field label={t('whatsapp.templateNameLabel')} errors={errors('name')}>
              {(p) => <Input {...p} name="name" required placeholder="retomar_contato" autoComplete="off" />}
            </Field>
            <Field label={t('whatsapp.templateLanguageLabel')} errors={errors('language')}>
              {(p) => <Input {...p} name="language" required defaultValue="pt_BR" autoComplete="off" />}
            </Field>
            <Field label={t('whatsapp.templateParams')} errors={errors('parameters')} className="sm:col-span-2">
              {(p) => <Textarea {...p} name="parameters" rows={2} />}
            </Field>
          </>
        )}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <Button type="submit" size="sm" className="w-fit" loading={fetcher.state !== 'idle'}>
            {t('whatsapp.sendTemplate')}
          </Button>
          {templates.length && !manual ? (
            <Button type="button" variant="link" size="sm" className="h-auto p-0" onClick={() => setTyping(true)}>
              {t('whatsapp.templatesManual')}
            </Button>
          ) : null}
        </div>
      </fetcher.Form>
    </details>
  )
}
