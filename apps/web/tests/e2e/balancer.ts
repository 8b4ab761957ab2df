import http from 'node:http'
import net from 'node:net'

const listen = (server: net.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  )

/**
 * A load balancer as a cloud one works at its simplest: each TCP connection goes to the next web instance in turn, the
 * bytes passed through untouched (HTTP keep-alive and WebSocket upgrades included), nothing sticky. Its control port
 * answers GET with how many connections each instance was given, so a spec can tell both took traffic.
 */
export async function startBalancer(backends: number[]) {
  const given = backends.map(() => 0)
  let turn = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const i = turn++ % backends.length
    given[i]!++
    const upstream = net.connect(backends[i]!, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    }
    const end = () => (client.destroy(), upstream.destroy())
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream).pipe(client)
  })
  const port = await listen(server)
  const control = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(given))
  })
  const controlPort = await listen(control)
  return {
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    close: async () => {
      for (const s of sockets) s.destroy()
      await Promise.all([server, control].map((s) => new Promise((r) => s.close(r))))
    },
  }
}
