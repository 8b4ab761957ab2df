import { lazy, Suspense, type ComponentType, type ReactNode } from 'react'

/**
 * A component whose code loads the first time it renders: for what shows only after a click (dialogs, pickers, the
 * command palette), so a page's first load carries only what it shows (decision 036). Never for what the server
 * renders: the fallback would be hydrated instead.
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null) {
  // Typed as the component it stands for (lazy() adds a ref slot that these function components do not take).
  const Part = lazy(() => load().then((component) => ({ default: component }))) as unknown as ComponentType<P>
  return function Deferred(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Part {...props} />
      </Suspense>
    )
  }
}
