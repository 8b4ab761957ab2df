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
