const ID_SEGMENT = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi

/**
 * A path's shape, its ids replaced: two conversations or two leads are the same page with other data, and a lead is
 * not its list. The shell shows a skeleton only when the shape changes.
 */
export function pageShape(path: string): string {
  return path.replace(ID_SEGMENT, '/:id')
}
