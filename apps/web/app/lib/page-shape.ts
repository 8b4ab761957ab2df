import type { PageKind } from '@impera/ui'

const ID_SEGMENT = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi

/**
 * A path's shape, its ids replaced: two conversations or two leads are the same page with other data, and a lead is
 * not its list. The shell shows a skeleton only when the shape changes.
 */
export function pageShape(path: string): string {
  return path.replace(ID_SEGMENT, '/:id')
}

const kinds: [RegExp, PageKind][] = [
  [/^\/app\/?$/, 'dashboard'],
  [/^\/app\/reports$/, 'dashboard'],
  [/^\/app\/inbox(\/|$)/, 'inbox'],
  [/^\/app\/calendar$/, 'calendar'],
  [/^\/app\/(leads|clients|properties)\/:id$/, 'record'],
  [/\/(new|:id\/edit)$|^\/profile$|^\/app\/settings/, 'form'],
]

/** Which skeleton stands in for a page while it loads: its kind by path, a list when nothing more specific fits. */
export function skeletonKind(path: string): PageKind {
  const shape = pageShape(path)
  return kinds.find(([re]) => re.test(shape))?.[1] ?? 'list'
}
