import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig, type Plugin } from 'vite'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

/**
 * Where the browser build put each language's catalog (app/i18n/<locale>.ts, loaded on its own: app/i18n/index.ts),
 * for the server build as `virtual:i18n-catalogs` — so every page preloads its reader's catalog. Remix builds the client
 * first and the server second, in two Vite runs: the client run leaves the map in a file the server run reads. In
 * development there is nothing to preload.
 */
function i18nCatalogs(): Plugin {
  const id = 'virtual:i18n-catalogs'
  const mapFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build/i18n-catalogs.json')
  let build = false
  let ssr = false
  return {
    name: 'impera-i18n-catalogs',
    configResolved(config) {
      build = config.command === 'build'
      ssr = Boolean(config.build.ssr)
    },
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(source) {
      if (source !== `\0${id}`) return undefined
      return `export default ${build && ssr ? readFileSync(mapFile, 'utf8') : '{}'}`
    },
    generateBundle(_options, bundle) {
      if (!build || ssr) return
      const map: Record<string, string> = {}
      for (const chunk of Object.values(bundle)) {
        const locale = chunk.type === 'chunk' && /\/app\/i18n\/([\w-]+)\.ts$/.exec(chunk.facadeModuleId ?? '')?.[1]
        if (locale && locale !== 'index') map[locale] = `/${chunk.fileName}`
      }
      mkdirSync(path.dirname(mapFile), { recursive: true })
      writeFileSync(mapFile, JSON.stringify(map))
    },
  }
}

export default defineConfig({
  plugins: [
    i18nCatalogs(),
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
