/*
 * The lists' names and the URL keys a saved view keeps. No zod here: list pages import this in the browser, and zod is
 * a seventh of a page's first-load JavaScript (decision 036).
 */

export const listNames = ['leads', 'clients', 'properties', 'conversations'] as const
export type ListName = (typeof listNames)[number]

/**
 * The URL keys each list's view may hold (filters, sort, columns). A saved view keeps only these, so paging state or
 * junk never gets saved and shared.
 */
export const listViewKeys: Record<ListName, readonly string[]> = {
  leads: [
    'q',
    'status',
    'source',
    'assignee',
    'tags',
    'interest',
    'temperature',
    'overdue',
    'consent',
    'from',
    'to',
    'updatedFrom',
    'updatedTo',
    'sort',
    'dir',
    'cols',
  ],
  clients: [
    'q',
    'type',
    'assignee',
    'tags',
    'city',
    'consent',
    'from',
    'to',
    'updatedFrom',
    'updatedTo',
    'sort',
    'dir',
    'cols',
  ],
  properties: [
    'q',
    'status',
    'type',
    'purpose',
    'priceMin',
    'priceMax',
    'minBedrooms',
    'neighbourhood',
    'city',
    'assignee',
    'stale',
    'from',
    'to',
    'updatedFrom',
    'updatedTo',
    'sort',
    'dir',
    'cols',
    'layout',
  ],
  conversations: ['q', 'filter', 'assignee', 'linked', 'waiting', 'from', 'to', 'sort', 'dir'],
}

/** Keeps a view's allowed keys in a stable order, so the same filters always give the same query string. */
export function normalizeViewQuery(list: ListName, query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)
  const out = new URLSearchParams()
  for (const key of listViewKeys[list]) for (const value of params.getAll(key)) if (value !== '') out.append(key, value)
  return out.toString()
}
