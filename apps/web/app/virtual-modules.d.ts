declare module 'virtual:i18n-catalogs' {
  /** Locale → the URL of its catalog's built chunk (vite.config.ts). */
  const catalogs: Record<string, string>
  export default catalogs
}
