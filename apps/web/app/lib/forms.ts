import { useState, type FormEvent } from 'react'
import type { z } from 'zod'

export interface FormResult {
  ok?: boolean
  fieldErrors?: Record<string, string[] | undefined>
  formError?: string
  formErrorVars?: Record<string, string | number>
  message?: string
  /** Machine-readable detail from the API (e.g. the duplicates a lead would create). */
  meta?: Record<string, unknown>
}

/**
 * Validates in the browser with the very schema the procedure uses, so people see the same messages before the
 * round trip; the server validates again regardless.
 */
export function useClientValidation<S extends z.ZodType>(
  schema: S,
  toInput: (fd: FormData) => unknown = (fd) => Object.fromEntries(fd),
) {
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({})
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    const parsed = schema.safeParse(toInput(new FormData(e.currentTarget)))
    if (parsed.success) return setClientErrors({})
    e.preventDefault()
    const errors: Record<string, string[]> = {}
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '_form')
      ;(errors[key] ??= []).push(issue.message)
    }
    setClientErrors(errors)
  }
  return { clientErrors, onSubmit }
}

/** Client errors win while the person is fixing the form; server errors show after a submission. */
export function mergeErrors(
  client: Record<string, string[]>,
  server: FormResult | undefined,
  field: string,
): string[] | undefined {
  return client[field] ?? server?.fieldErrors?.[field]
}

/** Turns a submitted FormData into a plain object, reading checkboxes as booleans where named. */
export function formInput(fd: FormData, booleans: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of fd) if (k !== 'intent') out[k] = v
  for (const b of booleans) out[b] = fd.get(b) === 'on' || fd.get(b) === 'true'
  return out
}
