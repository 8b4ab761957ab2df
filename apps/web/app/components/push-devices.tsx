import { useFetcher } from '@remix-run/react'
import { Badge, Button } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

export interface PushDevice {
  id: string
  endpoint: string
  userAgent: string | null
  createdAt: string | Date
  lastPushedAt: string | Date | null
}

type State = 'checking' | 'unavailable' | 'unsupported' | 'denied' | 'off' | 'on'

/** The VAPID public key as the Push API takes it. */
function keyBytes(base64url: string): ArrayBuffer {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4)
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer
}

/** "Chrome · Android" from a user agent: enough to tell one's devices apart. */
export function deviceName(ua: string | null): string {
  if (!ua) return '—'
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /SamsungBrowser/.test(ua)
      ? 'Samsung Internet'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null
  return [browser, os].filter(Boolean).join(' · ') || ua.slice(0, 60)
}

/**
 * Web push for this browser (decision 035): turn it on (the browser asks for permission, subscribes with our VAPID
 * key and the server keeps the subscription), off, and the member's other devices with "Remover".
 */
export function PushDevices({ publicKey, devices }: { publicKey: string | null; devices: PushDevice[] }) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [state, setState] = useState<State>('checking')
  const [here, setHere] = useState<string | null>(null)
  const [working, setWorking] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    void (async () => {
      if (!publicKey) return setState('unavailable')
      if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
        return setState('unsupported')
      if (Notification.permission === 'denied') return setState('denied')
      const registration = await navigator.serviceWorker.getRegistration('/')
      const subscription = await registration?.pushManager.getSubscription()
      if (!live) return
      setHere(subscription?.endpoint ?? null)
      setState(subscription && devices.some((d) => d.endpoint === subscription.endpoint) ? 'on' : 'off')
    })().catch(() => live && setState('unsupported'))
    return () => {
      live = false
    }
  }, [publicKey, devices])

  async function enable() {
    setProblem(null)
    setWorking(true)
    try {
      const permission = await Notification.requestPermission()
      if (permission !== 'granted') {
        setState(permission === 'denied' ? 'denied' : 'off')
        return
      }
      await navigator.serviceWorker.register('/sw.js')
      const registration = await navigator.serviceWorker.ready
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey!),
      })
      const { endpoint, keys } = subscription.toJSON()
      fetcher.submit(
        { intent: 'push-subscribe', endpoint: endpoint ?? '', p256dh: keys?.p256dh ?? '', auth: keys?.auth ?? '' },
        { method: 'post' },
      )
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    } finally {
      setWorking(false)
    }
  }

  async function remove(device: PushDevice) {
    if (device.endpoint === here) {
      const registration = await navigator.serviceWorker.getRegistration('/')
      await (await registration?.pushManager.getSubscription())?.unsubscribe()
    }
    fetcher.submit({ intent: 'push-unsubscribe', id: device.id }, { method: 'post' })
  }

  const busy = working || fetcher.state !== 'idle'
  return (
    <div className="grid gap-3" data-testid="push-devices" data-state={state}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="min-w-0 flex-1 text-sm text-muted-foreground" role="status">
          {t(`push.state.${state}`)}
        </p>
        {state === 'off' ? (
          <Button type="button" onClick={() => void enable()} loading={busy}>
            {t('push.enable')}
          </Button>
        ) : null}
      </div>
      {problem ? (
        <p className="text-sm text-destructive" role="alert">
          {t('push.failed', { reason: problem })}
        </p>
      ) : null}
      {devices.length ? (
        <ul className="grid grid-cols-[minmax(0,1fr)] gap-2" aria-label={t('push.devices')}>
          {devices.map((d) => (
            <li
              key={d.id}
              className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3"
              data-testid="push-device"
            >
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium">
                  {deviceName(d.userAgent)}{' '}
                  {d.endpoint === here ? <Badge variant="success">{t('profile.thisDevice')}</Badge> : null}
                </p>
                <p className="text-xs text-muted-foreground">
                  {t('push.since', { when: dateTime(d.createdAt) })}
                  {d.lastPushedAt ? ` · ${t('push.lastPush', { when: dateTime(d.lastPushedAt) })}` : ''}
                </p>
              </div>
              <Button type="button" variant="outline" size="sm" onClick={() => void remove(d)} disabled={busy}>
                {d.endpoint === here ? t('push.disable') : t('push.remove')}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
