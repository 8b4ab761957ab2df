import { en } from './en'
import { registerCatalog } from './index'
import { ptBR } from './pt-BR'

/** The server speaks every language from its first request: both catalogs, in memory (entry.server.tsx, server/mcp.ts). */
export function registerServerCatalogs() {
  registerCatalog('pt-BR', ptBR)
  registerCatalog('en', en)
}
