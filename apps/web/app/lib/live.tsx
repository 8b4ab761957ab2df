import { LIVE_PATH, type ServerToClientEvents, type WhatsappChanged } from '@impera/api/live'
import { useFetchers, useNavigation, useRevalidator } from '@remix-run/react'
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import type { Socket } from 'socket.io-client'

type Listener = (e: WhatsappChanged) => void
/** Events that carry no payload: something of that kind changed, refetch. */
export type Signal =
  | 'activity:changed'
  | 'notifications:changed'
  | 'imports:changed'
  | 'tasks:changed'
  | 'bulk:changed'
  | 'exports:changed'
interface LiveState {
  connected: boolean
  subscribe: (fn: Listener) => () => void
  on: (signal: Signal, fn: () => void) => () => void
}

const LiveContext = createContext<LiveState>({ connected: false, subscribe: () => () => {}, on: () => () => {} })

/**
 * One socket per tab while a member works in an agency. Events name what changed; listeners refetch. After a
 * reconnect the page data is revalidated, so whatever happened while offline shows up (nothing is missed).
 */
export function LiveProvider({ agencyId, children }: { agencyId: string; children: ReactNode }) {
  const [connected, setConnected] = useState(false)
  const listeners = useRef(new Set<Listener>())
  const signals = useRef(new Map<Signal, Set<() => void>>())
  const revalidate = useRef(useBackgroundRevalidate())
  useEffect(() => {
    // The socket's client library loads after the page is live, not with it: a page's first load carries only what it
    // needs to show and hydrate (decision 036).
    let socket: Socket<ServerToClientEvents> | undefined
    let closed = false
    void import('socket.io-client').then(({ io }) => {
      if (closed) return
      const live: Socket<ServerToClientEvents> = io({ path: LIVE_PATH, transports: ['websocket'] })
      socket = live
      let wasConnected = false
      live.on('connect', () => {
        setConnected(true)
        // Whether this tab is live, readable from outside React (browser tests wait on it instead of on time).
        document.documentElement.dataset.live = 'true'
        if (wasConnected) revalidate.current()
        wasConnected = true
      })
      live.on('disconnect', () => {
        setConnected(false)
        delete document.documentElement.dataset.live
      })
      live.on('wa:changed', (e) => listeners.current.forEach((fn) => fn(e)))
      for (const signal of [
        'activity:changed',
        'notifications:changed',
        'imports:changed',
        'tasks:changed',
        'bulk:changed',
        'exports:changed',
      ] as const)
        live.on(signal, () => signals.current.get(signal)?.forEach((fn) => fn()))
    })
    return () => {
      closed = true
      socket?.close()
      delete document.documentElement.dataset.live
    }
  }, [agencyId])
  const value = useRef<LiveState>({
    connected: false,
    subscribe: (fn) => (listeners.current.add(fn), () => listeners.current.delete(fn)),
    on: (signal, fn) => {
      const set = signals.current.get(signal) ?? new Set()
      signals.current.set(signal, set.add(fn))
      return () => set.delete(fn)
    },
  })
  return <LiveContext.Provider value={{ ...value.current, connected }}>{children}</LiveContext.Provider>
}

export const useLive = () => useContext(LiveContext)

/**
 * A revalidation the page asks for by itself (a live event, a reconnect, a read receipt), which must never cut into
 * what the person is doing: Remix's `revalidate()` interrupts a navigation in flight — a form's redirect then never
 * lands (the language switch stayed Portuguese, a trashed property stayed on screen) — and aborts a revalidation
 * already running (logged as an AbortError). While a navigation, a fetcher or a revalidation is busy the call is owed,
 * and made once everything is idle.
 */
export function useBackgroundRevalidate(): () => void {
  const revalidator = useRevalidator()
  const navigation = useNavigation()
  const fetchers = useFetchers()
  const busy = revalidator.state !== 'idle' || navigation.state !== 'idle' || fetchers.some((f) => f.state !== 'idle')
  const busyRef = useRef(busy)
  busyRef.current = busy
  const run = useRef(revalidator.revalidate)
  run.current = revalidator.revalidate
  const owed = useRef(false)
  useEffect(() => {
    if (busy || !owed.current) return
    owed.current = false
    run.current()
  }, [busy])
  return useCallback(() => {
    if (busyRef.current) owed.current = true
    else run.current()
  }, [])
}

/**
 * Revalidates the page's loaders when a WhatsApp change matches (coalesced, so a burst costs one refetch). A page that
 * loaded before the socket connected (a full page load) revalidates once when it does: a message ingested between the
 * server rendering the page and the socket joining its rooms would otherwise stay unseen until the next one.
 */
export function useRevalidateOnWhatsapp(match: (e: WhatsappChanged) => boolean = () => true) {
  const { subscribe, connected } = useLive()
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const matchRef = useRef(match)
  matchRef.current = match
  const revalidate = useRef(useBackgroundRevalidate())
  const loadedOffline = useRef(!connected)
  useEffect(() => {
    if (!connected || !loadedOffline.current) return
    loadedOffline.current = false
    revalidate.current()
  }, [connected])
  useEffect(
    () =>
      subscribe((e) => {
        if (!matchRef.current(e) || pending.current) return
        pending.current = setTimeout(() => {
          pending.current = null
          revalidate.current()
        }, 150)
      }),
    [subscribe],
  )
}

/** Calls `fn` when a signal arrives, coalesced over `delayMs` (a burst costs one refetch), and after a reconnect. */
export function useLiveSignal(signal: Signal, fn: () => void, delayMs = 300) {
  const { on, connected } = useLive()
  const fnRef = useRef(fn)
  fnRef.current = fn
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () =>
      on(signal, () => {
        if (pending.current) return
        pending.current = setTimeout(() => {
          pending.current = null
          fnRef.current()
        }, delayMs)
      }),
    [on, signal, delayMs],
  )
  // After a reconnect (not the first connect: the page's data is fresh then), catch up on what was missed.
  const seen = useRef({ connected, everConnected: connected })
  useEffect(() => {
    if (connected && !seen.current.connected && seen.current.everConnected) fnRef.current()
    seen.current = { connected, everConnected: seen.current.everConnected || connected }
  }, [connected])
}
