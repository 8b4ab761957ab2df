import { AsyncLocalStorage } from 'node:async_hooks'

const scopes = new AsyncLocalStorage<Map<string, Promise<unknown>>>()

/**
 * Reads that stay true for the length of one transaction (an agency's settings, webhook endpoints, managers) shared by
 * every step run inside `fn` (decision 047): the WhatsApp ingest applies up to twenty deliveries in one transaction,
 * and each used to read the same settings again. Only for callers that open a scope for one transaction of their own;
 * anywhere else `memoRead` simply reads.
 */
export function withReadMemo<T>(fn: () => Promise<T>): Promise<T> {
  return scopes.run(new Map(), fn)
}

/**
 * The value under `key` read once per scope. Values are shared between callers: never mutate one. A failed read is
 * not kept (the next caller reads again). `read` may return a query builder: drizzle's run their query each time they
 * are awaited, so the value kept is the promise of one run.
 */
export function memoRead<T>(key: string, read: () => PromiseLike<T>): Promise<T> {
  const memo = scopes.getStore()
  if (!memo) return Promise.resolve(read())
  let value = memo.get(key) as Promise<T> | undefined
  if (!value) {
    value = Promise.resolve(read())
    memo.set(key, value)
    value.catch(() => memo.delete(key))
  }
  return value
}
