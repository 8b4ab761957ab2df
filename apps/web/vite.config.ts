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
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  // One React for the app and the workspace UI package (which lists React only for its own type checks).
  resolve: { dedupe: ['react', 'react-dom'] },
  // Pre-bundle every package the browser code imports, up front, and only those: when Vite discovers a dependency
  // mid-session it re-optimises, and the page that triggered it (recharts on the first dashboard visit) loads a second
  // copy of React until a reload. Discovery is off because Remix's dev CSS crawl also resolves server-only imports
  // (@remix-run/node, cookie) for the browser on the first page, which alone re-optimised and reloaded it. The workspace
  // packages' own dependencies are named through them (`@impera/ui > radix-ui`): the web app does not depend on them,
  // so by bare name they do not resolve. tests/vite-deps.integration.test.ts fails on anything missing here.
  optimizeDeps: {
    noDiscovery: true,
    include: [
      ...['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', '@remix-run/react'],
      ...['@trpc/client', 'socket.io-client', 'zod', 'recharts', 'lucide-react'],
      ...['radix-ui', 'cmdk', 'clsx', 'tailwind-merge', 'class-variance-authority'].map((dep) => `@impera/ui > ${dep}`),
    ],
  },
  // Workspace packages are TypeScript sources; let Vite compile them rather than externalising.
  ssr: { noExternal: ['@impera/ui'] },
})
