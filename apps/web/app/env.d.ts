/// <reference types="@remix-run/node" />
/// <reference types="vite/client" />
import type { RequestScope, WebApp } from '../server/app'

declare module '@remix-run/node' {
  interface AppLoadContext {
    app: WebApp
    scope: RequestScope
  }
}
