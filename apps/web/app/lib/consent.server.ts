import { fromForm, formText, type RouterInputs } from './forms'

/**
 * The record pages' consent form (components/consent-dialog.tsx) as the procedure's input. Anything but "true" or
 * "false" goes through as sent, so the schema refuses it instead of reading it as a revocation.
 */
export function consentInput(subject: { leadId: string } | { clientId: string }, fd: FormData) {
  const granted = formText(fd, 'granted')
  return fromForm<RouterInputs['consent']['record']>({
    ...subject,
    granted: (granted === 'true' ? true : granted === 'false' ? false : granted) as boolean,
    basis: formText(fd, 'basis') || undefined,
    textVersion: formText(fd, 'textVersion'),
  })
}
