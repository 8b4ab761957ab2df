import { createContext, useContext } from 'react'

/**
 * The request's Content-Security-Policy nonce, for the scripts the document renders. Only the server knows it; in the
 * browser it is empty, and browsers hide the attribute from the DOM anyway, so hydration sees no difference.
 */
export const NonceContext = createContext('')

export function useNonce(): string {
  return useContext(NonceContext)
}
