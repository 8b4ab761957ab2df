// Shared by the server composition (server/app.ts) and the routes, without either importing the other.
export const AGENCY_COOKIE = 'impera_agency'
export const LOCALE_COOKIE = 'impera_locale'
