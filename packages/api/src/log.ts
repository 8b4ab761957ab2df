/**
 * How errors are written to the logs. A failed query must not copy its bound values (names, phones, e-mails, message
 * text) into log files: Drizzle puts them in its error message ("params: …"), and Postgres repeats values in its
 * message and detail ("Key (email)=(…)", 'invalid input syntax for type uuid: "…"'). What stays: the SQL with its
 * placeholders, the SQLSTATE, the constraint, table and column, and the stack.
 */
const DB_FIELDS = ['code', 'severity', 'constraint_name', 'table_name', 'column_name', 'routine'] as const

type Loose = Error & Record<string, unknown>

function isDatabaseError(e: Loose): boolean {
  return (
    typeof e.query === 'string' ||
    (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity !== undefined)
  )
}

function safeMessage(e: Loose): string {
  if (typeof e.query === 'string' && 'params' in e) return `Failed query: ${e.query}`
  // Quoted values in a database message are the input itself.
  return isDatabaseError(e)
    ? e.message.replace(/"[^"]*"/g, '"…"').replace(/\([^()]*\)=\([^()]*\)/g, '(…)=(…)')
    : e.message
}

export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value
  const e = value as Loose
  const message = safeMessage(e)
  const frames = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  const out: Record<string, unknown> = {
    type: e.constructor?.name ?? e.name,
    message,
    stack: [`${e.name}: ${message}`, ...frames].join('\n'),
  }
  if (isDatabaseError(e)) for (const k of DB_FIELDS) if (e[k] !== undefined) out[k] = e[k]
  if (!isDatabaseError(e) && typeof e.code === 'string') out.code = e.code
  if (e.cause !== undefined && depth < 5) out.cause = serializeError(e.cause, depth + 1)
  return out
}

/** pino's `serializers` option for every process: `err` and `error` keys go through serializeError. */
export const logSerializers = { err: (e: unknown) => serializeError(e), error: (e: unknown) => serializeError(e) }
