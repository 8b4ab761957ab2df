// Impera's service worker (decision 035): the offline page for full page loads without a connection, and web push.
// Plain script, served as is from /sw.js (scope /), never cached for long: a new version takes over on the next load.
const CACHE = 'impera-shell-v1'
const OFFLINE = '/offline'
const SHELL = [OFFLINE, '/offline.js', '/favicon.svg', '/icons/icon-192.png']

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key)
      await self.clients.claim()
    })(),
  )
})

// Only page loads are touched, and only when the network fails: everything else goes to the server as if no worker
// were here (data requests, uploads, the live socket), so nothing is ever served stale.
self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.mode !== 'navigate' || request.method !== 'GET') return
  event.respondWith(
    fetch(request).catch(async () => (await caches.match(OFFLINE, { ignoreSearch: true })) || Response.error()),
  )
})

/** A path in this app, or the app's home: a push never opens another site. */
function appPath(url) {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : '/app'
}

self.addEventListener('push', (event) => {
  let data = {}
  try {
    data = event.data ? event.data.json() : {}
  } catch {
    data = { body: event.data ? event.data.text() : '' }
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'Impera CRM', {
      body: data.body || '',
      tag: data.tag || undefined,
      // The next message of the same conversation replaces the last one, and still alerts.
      renotify: Boolean(data.tag),
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: self.navigator.language,
      data: { url: appPath(data.url) },
    }),
  )
})

// A tap opens what the notification is about: in an open Impera window if there is one, else in a new one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = new URL(appPath(event.notification.data && event.notification.data.url), self.location.origin).href
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin)
      if (open) {
        await open.focus()
        return open.navigate(url)
      }
      return self.clients.openWindow(url)
    })(),
  )
})

// The push service renewed the subscription (keys or endpoint changed): tell the server, as the page would.
self.addEventListener('pushsubscriptionchange', (event) => {
  const options = event.oldSubscription && event.oldSubscription.options
  if (!options) return
  event.waitUntil(
    self.registration.pushManager.subscribe(options).then((subscription) =>
      fetch('/api/trpc/notifications.pushSubscribe', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(subscription.toJSON()),
      }),
    ),
  )
})
