import type { LoaderFunctionArgs } from '@remix-run/node'
import { translator } from '../i18n'
import { csvResponse } from '../lib/list-export.server'
import { resolveLocale } from '../lib/locale.server'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'

/**
 * An import's report as CSV (decision 045): every row that is not a plain creation — refused, skipped, completed, or
 * created with a cell dropped — with its outcome and reasons in the reader's language, so a manager can fix the
 * spreadsheet and import the refused rows again. The rows are read page by page as the file is written.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.import')
  const { caller, timezone } = await recordsPageContext(context)
  // Another agency's import, or none, is a 404 before any byte of a file.
  const item = await caller.imports.get({ id: params.id! })
  const { locale } = await resolveLocale(context, request)
  const t = translator(locale)
  async function* rows() {
    let after: number | undefined
    for (;;) {
      const page = await caller.imports.rows({ id: item.id, after })
      for (const r of page.rows)
        yield [
          r.row,
          t(`imports.outcome.${r.outcome}`),
          r.reasons.map((why) => t(`imports.reasons.${why}`)).join('; '),
          r.recordId,
        ]
      if (page.next === null) return
      after = page.next
    }
  }
  return csvResponse(
    {
      // Not the uploaded file's name: it is the person's text, and a header takes no quotes, line breaks or accents.
      name: t('imports.report.file'),
      sheet: t('imports.report.title'),
      columns: [
        { header: t('imports.report.row'), kind: 'number' },
        { header: t('imports.report.outcome'), kind: 'text' },
        { header: t('imports.report.why'), kind: 'text' },
        { header: t('imports.report.record'), kind: 'text' },
      ],
      rows: rows(),
      locale,
      timezone,
    },
    request,
  )
}
