import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useNavigate, useSearchParams } from '@remix-run/react'
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { useRef, useState } from 'react'
import { useI18n } from '../i18n'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { uploadWithProgress } from '../lib/upload'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

/**
 * Imports (decisions 024, 045): choose what the spreadsheet holds (leads, clients, or properties with their owners),
 * upload it, then map, check and run it on its own page. Managers only.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.import')
  const caller = await context.scope.caller()
  return { imports: await caller.imports.list() }
}

export const statusTone: Record<string, 'default' | 'secondary' | 'success' | 'warning' | 'destructive' | 'outline'> = {
  uploaded: 'outline',
  validating: 'secondary',
  validated: 'warning',
  running: 'secondary',
  done: 'success',
  cancelled: 'outline',
  failed: 'destructive',
  undone: 'outline',
}

const kinds = ['leads', 'clients', 'properties'] as const
type Kind = (typeof kinds)[number]
const kindOf = (raw: string | null): Kind =>
  (kinds as readonly string[]).includes(raw ?? '') ? (raw as Kind) : 'leads'

/** Where each kind's records open. */
export const recordPaths: Record<Kind, string> = {
  leads: '/app/leads',
  clients: '/app/clients',
  properties: '/app/properties',
}

function Upload() {
  const { t } = useI18n()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  // The clients and properties lists link here with their kind chosen.
  const [kind, setKind] = useState<Kind>(() => kindOf(params.get('kind')))
  const input = useRef<HTMLInputElement>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [dragging, setDragging] = useState(false)
  const send = async (file: File | undefined) => {
    if (!file) return
    setError(null)
    setProgress(0)
    try {
      const form = new FormData()
      // Before the file: the server reads the fields that precede it.
      form.append('kind', kind)
      form.append('file', file, file.name)
      const r = await uploadWithProgress('/uploads/imports', form, setProgress, 'imports.errors.tooLarge')
      if (r.status === 201 && r.body.id) return navigate(`/app/imports/${r.body.id}`)
      setError(r.body.message ?? 'errors.internal')
    } catch {
      setError('imports.errors.network')
    } finally {
      setProgress(null)
    }
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('imports.upload.title')}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-sm text-muted-foreground">{t('imports.upload.intro')}</p>
        <fieldset className="grid gap-2" data-testid="import-kind">
          <legend className="mb-1 text-sm font-medium">{t('imports.upload.kind')}</legend>
          <div className="flex flex-wrap gap-x-6 gap-y-2">
            {kinds.map((k) => (
              <label key={k} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                  className="size-4 accent-primary focus-visible:ring-2 focus-visible:ring-ring"
                />
                {t(`imports.kinds.${k}`)}
              </label>
            ))}
          </div>
          <p className="text-xs text-muted-foreground">{t(`imports.upload.columns.${kind}`)}</p>
        </fieldset>
        <div
          className={`grid place-items-center gap-3 rounded-md border-2 border-dashed p-6 text-center ${dragging ? 'border-primary bg-muted' : ''}`}
          onDragOver={(e) => {
            e.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault()
            setDragging(false)
            void send(e.dataTransfer.files[0])
          }}
        >
          <p className="text-sm">{t('imports.upload.drop')}</p>
          <input
            ref={input}
            type="file"
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            className="sr-only"
            id="import-file"
            data-testid="import-file"
            // The button below is the keyboard's way in; the input itself stays out of the tab order.
            tabIndex={-1}
            aria-hidden
            onChange={(e) => {
              void send(e.target.files?.[0])
              // Choosing the same file again after a refusal must send it again.
              e.target.value = ''
            }}
          />
          <Button type="button" disabled={progress !== null} onClick={() => input.current?.click()} aria-live="polite">
            {progress !== null ? t('imports.upload.sending', { percent: progress }) : t('imports.upload.choose')}
          </Button>
          <p className="text-xs text-muted-foreground">{t('imports.upload.formats')}</p>
        </div>
        {error ? (
          <Alert variant="destructive" role="alert" data-testid="import-upload-error">
            {t(error)}
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  )
}

export default function Imports() {
  const { t, dateTime, locale } = useI18n()
  const { imports } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const back = kindOf(params.get('kind'))
  useLiveSignal('imports:changed', useBackgroundRevalidate())
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <PageHeader back={{ to: recordPaths[back], label: t(`imports.back.${back}`) }} title={t('imports.title')} />
      <Upload />
      <Card>
        <CardHeader>
          <CardTitle>{t('imports.history')}</CardTitle>
        </CardHeader>
        <CardContent>
          {imports.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('imports.none')}</p>
          ) : (
            <div className="overflow-x-auto">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t('imports.file')}</TableHead>
                    <TableHead>{t('imports.kindLabel')}</TableHead>
                    <TableHead>{t('imports.statusLabel')}</TableHead>
                    <TableHead>{t('imports.rows')}</TableHead>
                    <TableHead>{t('imports.when')}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {imports.map((i) => (
                    <TableRow key={i.id}>
                      <TableCell>
                        <Link to={`/app/imports/${i.id}`} className="font-medium underline">
                          {i.fileName}
                        </Link>
                      </TableCell>
                      <TableCell>{t(`imports.kinds.${i.kind}`)}</TableCell>
                      <TableCell>
                        <Badge variant={statusTone[i.status]}>{t(`imports.status.${i.status}`)}</Badge>
                      </TableCell>
                      <TableCell>{i.totalRows === null ? '—' : i.totalRows.toLocaleString(locale)}</TableCell>
                      <TableCell>
                        {dateTime(i.createdAt)}
                        {i.createdByName ? ` · ${i.createdByName}` : ''}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  )
}
