import { LIVE_PATH, type ServerToClientEvents, type WhatsappChanged } from '@impera/api/live'
import { useRevalidator } from '@remix-run/react'
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import { io, type Socket } from 'socket.io-client'

type Listener = (e: WhatsappChanged) => void
interface LiveState {
  connected: boolean
  subscribe: (fn: Listener) => () => void
}

const LiveContext = createContext<LiveState>({ connected: false, subscribe: () => () => {} })

/**
 * One socket per tab while a member works in an agency. Events name what changed; listeners refetch. After a
 * reconnect the page data is revalidated, so whatever happened while offline shows up (nothing is missed).
 */
export function LiveProvider({ agencyId, children }: { agencyId: string; children: ReactNode }) {
  const [connected, setConnected] = useState(false)
  const listeners = useRef(new Set<Listener>())
  const revalidator = useRevalidator()
  const revalidate = useRef(revalidator.revalidate)
  revalidate.current = revalidator.revalidate
  useEffect(() => {
    const socket: Socket<ServerToClientEvents> = io({ path: LIVE_PATH, transports: ['websocket'] })
    let wasConnected = false
    socket.on('connect', () => {
      setConnected(true)
      if (wasConnected) revalidate.current()
      wasConnected = true
    })
    socket.on('disconnect', () => setConnected(false))
    socket.on('wa:changed', (e) => listeners.current.forEach((fn) => fn(e)))
    return () => {
      socket.close()
    }
  }, [agencyId])
  const value = useRef<LiveState>({ connected: false, subscribe: (fn) => (listeners.current.add(fn), () => listeners.current.delete(fn)) })
  return <LiveContext.Provider value={{ ...value.current, connected }}>{children}</LiveContext.Provider>
}

export const useLive = () => useContext(LiveContext)

/** Revalidates the page's loaders when a WhatsApp change matches (coalesced, so a burst costs one refetch). */
export function useRevalidateOnWhatsapp(match: (e: WhatsappChanged) => boolean = () => true) {
  const { subscribe } = useLive()
  const revalidator = useRevalidator()
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const matchRef = useRef(match)
  matchRef.current = match
  const revalidate = useRef(revalidator.revalidate)
  revalidate.current = revalidator.revalidate
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
