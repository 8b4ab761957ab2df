import type { DropdownMenu as M } from 'radix-ui'
import * as React from 'react'

/**
 * Dropdown menus whose code (Radix's menu, ~16 kB gzip) loads on the first press of a trigger, not with the page: the
 * shell's menus and the row menus are on every page, and almost never opened on a first load (decision 039). Until
 * then a trigger is its own element announcing a menu; a click, Enter, Space or ↓ loads the parts and opens it, and
 * from then on every menu is Radix's, with the same props.
 */
type Parts = typeof import('./dropdown-parts')
let parts: Parts | null = null
let loading: Promise<Parts> | null = null
const loadParts = () =>
  (loading ??= import('./dropdown-parts').then(
    (m) => (parts = m),
    (e: unknown) => {
      // A failed load (the server restarted with a new build, the network dropped) is tried again on the next press.
      loading = null
      throw e
    },
  ))

const PartsContext = React.createContext<Parts | null>(null)
const RequestOpen = React.createContext<(byKeyboard: boolean) => void>(() => {})

export function DropdownMenu({ open, defaultOpen, onOpenChange, ...props }: React.ComponentProps<typeof M.Root>) {
  // A menu mounted once the parts are in (a row added later) is Radix's from its first render.
  const [loaded, setLoaded] = React.useState<Parts | null>(() => parts)
  const [innerOpen, setInnerOpen] = React.useState(defaultOpen ?? false)
  const opening = React.useRef<'pointer' | 'keyboard' | null>(null)
  const change = (o: boolean) => {
    if (open === undefined) setInnerOpen(o)
    onOpenChange?.(o)
  }
  React.useEffect(() => {
    // Runs when the parts arrive, with that render's props.
    if (!loaded || !opening.current) return
    // Radix moves focus to the first item only when it saw the keyboard being used, which it listens for from its
    // root — mounted just now, after the key that asked for the menu. It is told so, then the menu opens.
    if (opening.current === 'keyboard') document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }))
    opening.current = null
    change(true)
  }, [loaded])
  const request = (byKeyboard: boolean) => {
    opening.current = byKeyboard ? 'keyboard' : 'pointer'
    loadParts().then(setLoaded, () => (opening.current = null))
  }
  if (!loaded) return <RequestOpen.Provider value={request}>{props.children}</RequestOpen.Provider>
  return (
    <PartsContext.Provider value={loaded}>
      <loaded.Root {...props} open={open ?? innerOpen} onOpenChange={change} />
    </PartsContext.Provider>
  )
}

type TriggerProps = React.ComponentProps<typeof M.Trigger>

export function DropdownMenuTrigger({ asChild, children, ...props }: TriggerProps) {
  const loaded = React.useContext(PartsContext)
  const request = React.useContext(RequestOpen)
  if (loaded)
    return (
      <loaded.Trigger asChild={asChild} {...props}>
        {children}
      </loaded.Trigger>
    )
  const child = (
    asChild && React.isValidElement(children) ? children : <button type="button">{children}</button>
  ) as React.ReactElement<React.ButtonHTMLAttributes<HTMLButtonElement>>
  const own = child.props
  return React.cloneElement(child, {
    ...(props as React.ButtonHTMLAttributes<HTMLButtonElement>),
    'aria-haspopup': 'menu',
    'aria-expanded': false,
    onClick: (e: React.MouseEvent<HTMLButtonElement>) => {
      own.onClick?.(e)
      props.onClick?.(e)
      // A click with no pointer behind it (detail 0) is Enter or Space on the button.
      if (!e.defaultPrevented) request(e.detail === 0)
    },
    onKeyDown: (e: React.KeyboardEvent<HTMLButtonElement>) => {
      own.onKeyDown?.(e)
      props.onKeyDown?.(e)
      if (!e.defaultPrevented && e.key === 'ArrowDown') {
        e.preventDefault()
        request(true)
      }
    },
  })
}

/** The parts inside a menu render only once it has opened, so they are always Radix's. */
function part<
  K extends 'Group' | 'DropdownMenuContent' | 'DropdownMenuItem' | 'DropdownMenuLabel' | 'DropdownMenuSeparator',
>(key: K) {
  return function Part(props: React.ComponentProps<Parts[K]>) {
    const loaded = React.useContext(PartsContext)
    if (!loaded) return null
    const Component = loaded[key] as React.ComponentType<React.ComponentProps<Parts[K]>>
    return <Component {...props} />
  }
}

export const DropdownMenuGroup = part('Group')
export const DropdownMenuContent = part('DropdownMenuContent')
export const DropdownMenuItem = part('DropdownMenuItem')
export const DropdownMenuLabel = part('DropdownMenuLabel')
export const DropdownMenuSeparator = part('DropdownMenuSeparator')
