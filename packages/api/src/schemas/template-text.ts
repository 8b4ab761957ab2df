// No zod here: the composer previews templates in the browser (decision 036).

const placeholder = /\{\{\s*(\d+)\s*\}\}/g

/** A template body with its parameters in place of {{n}} (… for one not given yet): what the contact reads. */
export function fillTemplate(body: string, values: string[]) {
  return body.replace(placeholder, (_, n: string) => values[Number(n) - 1]?.trim() || '…')
}

/** How many parameters a template body takes: its highest {{n}}. */
export function templateParamCount(body: string) {
  return Math.max(0, ...[...body.matchAll(placeholder)].map((m) => Number(m[1])))
}
