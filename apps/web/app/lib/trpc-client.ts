import type { AppRouter } from '@impera/api'
import type { TRPCClient } from '@trpc/client'

let client: Promise<TRPCClient<AppRouter>> | undefined

// The server refuses batches over 10 calls (MAX_BATCH_SIZE in server/http.ts); the client splits larger ones.
const load = () =>
  (client ??= import('@trpc/client').then(({ createTRPCClient, httpBatchLink }) =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', maxItems: 10 })] }),
  ))

/** `trpc.leads.list.query(…)`: the path is recorded, and the call made on the real client once it has loaded. */
function deferred(path: readonly string[]): unknown {
  return new Proxy(() => undefined, {
    get: (_target, key) => (typeof key === 'string' && key !== 'then' ? deferred([...path, key]) : undefined),
    apply: async (_target, _this, args: unknown[]) => {
      let call: unknown = await load()
      for (const key of path) call = (call as Record<string, unknown>)[key]
      return (call as (...a: unknown[]) => unknown)(...args)
    },
  })
}

/**
 * The browser's client for interactive calls (optimistic moves, inline edits). It sends the same cookies as the
 * pages, so the server sees the same session and agency; pages themselves load through Remix loaders. Its library
 * loads at the first call, not with every page (decision 036): calls come from clicks and effects, after hydration.
 */
export const trpc = deferred([]) as TRPCClient<AppRouter>

/** The i18n key of a failed call: a field error if there is one, else the message. */
export function errorKey(e: unknown): string {
  // By name rather than instanceof: the error class lives in the library loaded on demand.
  if (e instanceof Error && e.name === 'TRPCClientError') {
    const data = (e as { data?: { fieldErrors?: Record<string, string[]> } }).data
    const field = data?.fieldErrors && Object.values(data.fieldErrors)[0]?.[0]
    return field ?? e.message
  }
  return 'errors.internal'
}
