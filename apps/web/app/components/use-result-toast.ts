import { useLocation } from '@remix-run/react'
import { useToast } from '@impera/ui'
import { useEffect, useRef } from 'react'
import { useT } from '../i18n'
import type { FormResult } from '../lib/forms'

/** Shows a toast once per action result: the success message, or the form-level error. */
export function useResultToast(result: FormResult | undefined) {
  const toast = useToast()
  const t = useT()
  const last = useRef<FormResult | undefined>(undefined)
  useEffect(() => {
    if (!result || result === last.current) return
    last.current = result
    if (result.ok && result.message) toast({ title: t(result.message, result.formErrorVars), variant: 'success' })
    else if (result.formError) toast({ title: t(result.formError, result.formErrorVars), variant: 'destructive' })
  }, [result, toast, t])
}

/** Navigations whose flags were shown (by location key): a page renders, and runs its effects, more than once. */
const flashed = new Set<string>()

/**
 * The success toast of the page that redirected here (`?created=1`, `?saved=1`), keyed by flag → message key. It
 * shows once per navigation: React's strict mode runs effects twice in development and a language switch renders the
 * page again, and each showed the toast again. The flag then leaves the address bar (the router keeps its own copy),
 * so a reload or a step back through history does not announce it a second time either.
 */
export function useFlashToast(messages: Readonly<Record<string, string>>) {
  const toast = useToast()
  const t = useT()
  const location = useLocation()
  useEffect(() => {
    const params = new URLSearchParams(location.search)
    const flags = Object.keys(messages).filter((flag) => params.has(flag))
    if (!flags.length || flashed.has(location.key)) return
    flashed.add(location.key)
    for (const flag of flags) {
      toast({ title: t(messages[flag]!), variant: 'success' })
      params.delete(flag)
    }
    const search = params.toString()
    window.history.replaceState(
      window.history.state,
      '',
      `${location.pathname}${search ? `?${search}` : ''}${location.hash}`,
    )
  }, [location, messages, toast, t])
}
