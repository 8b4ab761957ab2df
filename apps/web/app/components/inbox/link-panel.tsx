import { useFetcher } from '@remix-run/react'
import { useCallback, useState } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { trpc } from '../../lib/trpc-client'
import { RecordPicker } from '../record-picker'
import { useResultToast } from '../use-result-toast'

/** Re-links the conversation (e.g. a number that changed hands), with search pickers over what the user may see. */
export function LinkPanel({ leadId, clientId }: { leadId: string | null; clientId: string | null }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const searchLeads = useCallback(
    async (q: string) =>
      (await trpc.leads.list.query({ q: q || undefined, pageSize: 10, sort: 'updatedAt' })).rows.map((l) => ({
        id: l.id,
        label: l.name,
        hint: l.phones[0] ?? l.email ?? undefined,
      })),
    [],
  )
  const searchClients = useCallback(
    async (q: string) =>
      (await trpc.clients.pick.query({ q })).map((c) => ({
        id: c.id,
        label: c.name,
        hint: c.phones[0] ?? c.email ?? undefined,
      })),
    [],
  )
  const link = (next: { leadId: string | null; clientId: string | null }) =>
    fetcher.submit({ intent: 'link', leadId: next.leadId ?? '', clientId: next.clientId ?? '' }, { method: 'post' })
  const [open, setOpen] = useState(false)
  return (
    <details className="rounded-md border p-2 text-sm" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer font-medium">{t('whatsapp.linkTitle')}</summary>
      {/* Pickers search as they mount: only once the panel is opened. */}
      {open ? (
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <div className="grid gap-1">
            <span className="text-xs font-medium">{t('whatsapp.linkLead')}</span>
            <RecordPicker
              search={searchLeads}
              label={t('whatsapp.linkLead')}
              placeholder={t('leads.search')}
              onPick={(item) => link({ leadId: item.id, clientId })}
            />
          </div>
          <div className="grid gap-1">
            <span className="text-xs font-medium">{t('whatsapp.linkClient')}</span>
            <RecordPicker
              search={searchClients}
              label={t('whatsapp.linkClient')}
              placeholder={t('clients.search')}
              onPick={(item) => link({ leadId, clientId: item.id })}
            />
          </div>
        </div>
      ) : null}
    </details>
  )
}
