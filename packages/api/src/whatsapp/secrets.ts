import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Provider secrets (access tokens, app secrets, verify tokens) at rest: AES-256-GCM with a 32-byte key from the
 * environment (SECRETS_KEY, base64). Ciphertexts are `v1.<iv>.<tag>.<data>` in base64url, so the key can be rotated
 * later by adding a version.
 */
export interface SecretBox {
  seal(plain: string): string
  open(sealed: string): string
}

export function createSecretBox(keyBase64: string | undefined): SecretBox {
  const key = keyBase64 ? Buffer.from(keyBase64, 'base64') : null
  const need = () => {
    if (!key || key.length !== 32)
      throw new Error('SECRETS_KEY must be 32 bytes, base64-encoded, to store WhatsApp credentials')
    return key
  }
  return {
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', need(), iv)
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(sealed) {
      const [v, iv, tag, data] = sealed.split('.')
      if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown secret format')
      const decipher = createDecipheriv('aes-256-gcm', need(), Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
    },
  }
}
