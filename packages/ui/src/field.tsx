import * as React from 'react'
import { cn } from './cn'
import { Label } from './input'

export interface FieldProps {
  label: React.ReactNode
  /** Already-translated messages for this field. */
  errors?: readonly string[] | null
  hint?: React.ReactNode
  className?: string
  /** Render prop receiving the ids/aria props to spread on the control, so label, hint and error are wired up. */
  children: (control: {
    id: string
    'aria-invalid': boolean | undefined
    'aria-describedby': string | undefined
  }) => React.ReactNode
}

/** Label + control + inline error, accessibly connected (aria-invalid, aria-describedby). */
export function Field({ label, errors, hint, className, children }: FieldProps) {
  const id = React.useId()
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const hasError = !!errors && errors.length > 0
  const describedBy = [hasError ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={cn('grid gap-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, 'aria-invalid': hasError || undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {hasError ? (
        <p id={errorId} role="alert" className="text-sm text-destructive">
          {errors!.join(' ')}
        </p>
      ) : null}
    </div>
  )
}
