import { Command as C } from 'cmdk'
import * as React from 'react'
import { cn } from './cn'

/** Base of the command palette (⌘K): keyboard-first filtering list. Search across records arrives with that feature. */
export const Command = ({ className, ...p }: React.ComponentProps<typeof C>) => (
  <C
    className={cn(
      'flex h-full w-full flex-col overflow-hidden rounded-md bg-popover text-popover-foreground',
      className,
    )}
    {...p}
  />
)
export const CommandInput = ({ className, ...p }: React.ComponentProps<typeof C.Input>) => (
  <C.Input
    className={cn(
      'flex h-11 w-full border-b bg-transparent px-3 py-3 text-sm outline-none placeholder:text-muted-foreground',
      className,
    )}
    {...p}
  />
)
export const CommandList = ({ className, ...p }: React.ComponentProps<typeof C.List>) => (
  <C.List className={cn('max-h-[300px] overflow-y-auto p-1', className)} {...p} />
)
export const CommandEmpty = (p: React.ComponentProps<typeof C.Empty>) => (
  <C.Empty className="py-6 text-center text-sm" {...p} />
)
export const CommandGroup = ({ className, ...p }: React.ComponentProps<typeof C.Group>) => (
  <C.Group className={cn('p-1 text-foreground', className)} {...p} />
)
export const CommandItem = ({ className, ...p }: React.ComponentProps<typeof C.Item>) => (
  <C.Item
    className={cn(
      'relative flex cursor-default items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none select-none data-[selected=true]:bg-accent',
      className,
    )}
    {...p}
  />
)
