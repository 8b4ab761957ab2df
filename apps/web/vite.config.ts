import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  plugins: [
    tailwindcss(),
    remix({
      future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true },
    }),
  ],
  // One React for the app and the workspace UI package (which lists React only for its own type checks).
  resolve: { dedupe: ['react', 'react-dom'] },
  // Pre-bundle the browser dependencies up front: when Vite discovers one mid-session it re-optimises and the page can
  // briefly load two copies of React.
  optimizeDeps: {
    include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', '@remix-run/react', 'radix-ui', 'cmdk', '@trpc/client', 'socket.io-client', 'zod', 'clsx', 'tailwind-merge', 'class-variance-authority'],
  },
  // Workspace packages are TypeScript sources; let Vite compile them rather than externalising.
  ssr: { noExternal: ['@impera/ui'] },
})
