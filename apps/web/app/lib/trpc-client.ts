import type { AppRouter } from '@impera/api'
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client'

/**
 * The browser's client for interactive calls (optimistic moves, inline edits). It sends the same cookies as the
 * pages, so the server sees the same session and agency; pages themselves load through Remix loaders.
 */
// The server refuses batches over 10 calls (MAX_BATCH_SIZE in server/http.ts); the client splits larger ones.
export const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', maxItems: 10 })] })

/** The i18n key of a failed call: a field error if there is one, else the message. */
export function errorKey(e: unknown): string {
  if (e instanceof TRPCClientError) {
    const data = e.data as { fieldErrors?: Record<string, string[]> } | undefined
    const field = data?.fieldErrors && Object.values(data.fieldErrors)[0]?.[0]
    return field ?? e.message
  }
  return 'errors.internal'
}
