import type { AppRouter } from '@impera/api'
import type { inferRouterInputs } from '@trpc/server'
import { useEffect, useRef, useState, type FormEvent } from 'react'
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

type Schemas = typeof import('@impera/api/schemas')
/** The name of a schema the API exports (`ZLeadInput`…). */
export type SchemaName = { [K in keyof Schemas]: Schemas[K] extends z.ZodType ? K : never }[keyof Schemas]

/**
 * Validates in the browser with the very schema the procedure uses, so people see the same messages before the
 * round trip; the server validates again regardless. The schemas (and zod) load once the page is live rather than with
 * it — a sixth of a page's first-load JavaScript (decision 036); a form sent before they arrive is checked by the server
 * alone, with the same messages.
 */
export function useClientValidation(
  name: SchemaName,
  toInput: (fd: FormData) => unknown = (fd) => Object.fromEntries(fd),
) {
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({})
  const schema = useRef<z.ZodType | null>(null)
  useEffect(() => {
    let gone = false
    void import('@impera/api/schemas').then((schemas) => {
      if (!gone) schema.current = schemas[name] as z.ZodType
    })
    return () => {
      gone = true
    }
  }, [name])
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    if (!schema.current) return
    const parsed = schema.current.safeParse(toInput(new FormData(e.currentTarget)))
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

/** Each procedure's input as its caller takes it, by router and name: `RouterInputs['leads']['create']`. */
export type RouterInputs = inferRouterInputs<AppRouter>

/**
 * What a form can hold for a procedure input `T`: the same fields with the same types, except that a choice among
 * strings (an enum such as a status or a locale) may be any string, as a select's value is. Form mappers are typed
 * against this, so a field renamed, removed or retyped in a procedure's schema fails the typecheck here.
 */
export type FormFields<T> = T extends string
  ? string extends T
    ? T
    : string
  : T extends readonly (infer U)[]
    ? FormFields<U>[]
    : T extends object
      ? { [K in keyof T]: FormFields<T[K]> }
      : T

/**
 * Hands a form's fields to a procedure. The fields are checked against the procedure's input (pass an object literal,
 * so unknown fields are refused too); the only liberty taken is that a select's string stands for its enum, which the
 * procedure's own schema checks when the call arrives. The one conversion between forms and procedures.
 */
export function fromForm<T>(fields: FormFields<T>): T {
  return fields as T
}

/** A submitted field as text: '' when it is absent (or a file), as an empty input would send it. */
export function formText(fd: FormData, name: string): string {
  const v = fd.get(name)
  return typeof v === 'string' ? v : ''
}

/** Several text fields at once, typed by their names (check the names against the input with `satisfies`). */
export function formTexts<const K extends string>(fd: FormData, names: readonly K[]): Record<K, string> {
  return keyed(names, (name) => formText(fd, name))
}

/** A checkbox: true when it was sent checked. */
export function formCheckbox(fd: FormData, name: string): boolean {
  return fd.get(name) === 'on' || fd.get(name) === 'true'
}

/** One entry per key, typed by the keys (Object.fromEntries forgets them). */
export function keyed<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>
}
