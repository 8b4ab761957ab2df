import type { Server as HttpServer } from 'node:http'
import { withAgencyActor } from '@impera/api'
import { LIVE_PATH, rooms, type ServerToClientEvents } from '@impera/api/live'
import { createAdapter } from '@socket.io/postgres-adapter'
import type pg from 'pg'
import { Server } from 'socket.io'
import type { WebApp } from './app'
import { isSameOrigin } from './security'

interface SocketData {
  userId: string
  agencyId: string
  manager: boolean
}

/**
 * Socket.IO on the web server. The handshake is authenticated with the page session (same cookies, same provider)
 * and the agency membership is checked like any agency request; a socket joins only its agency's and its user's
 * rooms. Several web instances and the worker share events through Postgres (NOTIFY via the adapter and emitter).
 * Websocket transport only, so no sticky sessions are needed behind a load balancer.
 */
export function attachLive(httpServer: HttpServer, app: WebApp, pool: pg.Pool) {
  const io = new Server<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    path: LIVE_PATH,
    transports: ['websocket'],
    serveClient: false,
    // A page of another site could open a socket with the visitor's cookies and read their agency's live events.
    allowRequest: (req, done) => {
      const host = req.headers.host
      const allowed = new Set([app.env.origin, ...(host ? [`http://${host}`, `https://${host}`] : [])])
      done(null, isSameOrigin(req.headers, allowed))
    },
    adapter: createAdapter(pool, { errorHandler: (err) => app.log.warn({ err }, 'socket.io adapter error') }),
  })
  io.use(async (socket, next) => {
    try {
      const headers = new Headers()
      for (const [k, v] of Object.entries(socket.request.headers)) if (typeof v === 'string') headers.set(k, v)
      const request = new Request(`http://localhost${socket.request.url ?? '/'}`, { headers })
      const scope = app.scope(request, `ws-${socket.id}`)
      const identity = await scope.identity()
      if (!identity) return next(new Error('unauthenticated'))
      const actor = await withAgencyActor(
        app.db,
        { userId: identity.userId, agencyId: scope.agencyId, ip: scope.ip, action: 'records.read' },
        async (ctx) => ctx.actor,
      )
      socket.data = { userId: actor.userId, agencyId: actor.agencyId, manager: actor.role === 'manager' }
      next()
    } catch {
      next(new Error('forbidden'))
    }
  })
  io.on('connection', (socket) => {
    const { agencyId, userId, manager } = socket.data
    void socket.join([rooms.agency(agencyId), rooms.user(userId), ...(manager ? [rooms.managers(agencyId)] : [])])
  })
  return io
}
