import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import {
  createReadableStreamFromReadable,
  type ActionFunctionArgs,
  type AppLoadContext,
  type EntryContext,
  type LoaderFunctionArgs,
} from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import styles from './app.css?url'
import { setInlineCss } from './lib/inline-css'
import { NonceContext } from './lib/nonce'
import { registerServerCatalogs } from './i18n/catalogs.server'

const ABORT_DELAY = 5_000

registerServerCatalogs()

/**
 * The built stylesheet (build/client/assets/…), found from this module up: the server build is a chunk somewhere in
 * build/server. Development serves it through Vite instead.
 */
function builtStylesheet(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'client', styles)
    if (existsSync(file)) return readFileSync(file, 'utf8')
  }
  throw new Error(`the built stylesheet ${styles} is missing`)
}
if (import.meta.env.PROD) setInlineCss(builtStylesheet())

/**
 * Remix's streaming Node entry, plus the request's CSP nonce: the server sends a policy that runs only scripts
 * carrying it (apps/web/server/security.ts), so every script Remix renders gets it.
 */
export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.scope.nonce
  // Bots and crawlers get the whole page at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const ready = () => {
      shellRendered = true
      const body = new PassThrough()
      headers.set('Content-Type', 'text/html')
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status }))
      pipe(body)
    }
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady: waitForAll ? undefined : ready,
        onAllReady: waitForAll ? ready : undefined,
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          status = 500
          // Errors before the shell reject and are logged by handleError; these happen while streaming.
          if (shellRendered)
            loadContext.app.log.error({ err: error, requestId: loadContext.scope.requestId }, 'render failed')
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

/** Loader, action and render errors go to the server's log with the request id, like every other error. */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  // An aborted request, or Remix answering a client's mistake (no such route, no action here), is not a failure.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return
  context.app.log.error(
    { err: error, requestId: context.scope.requestId, path: new URL(request.url).pathname },
    'remix error',
  )
}
