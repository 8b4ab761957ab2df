import { lazyPart } from '../lib/lazy-part'

export interface PickerItem {
  id: string
  label: string
  hint?: string
}

/**
 * Search-as-you-type picker (clients, properties, leads), shown when someone sets out to pick (record-search.tsx): its
 * code (cmdk) loads then. The placeholder keeps the input's place meanwhile.
 */
export const RecordPicker = lazyPart(
  () => import('./record-search').then((m) => m.RecordSearch),
  <div className="h-10 rounded-md border" aria-busy="true" />,
)
