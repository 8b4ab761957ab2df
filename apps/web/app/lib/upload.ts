/** What an upload route answers (server/media.ts): `{ ok, … }` on success, `{ message, meta }` when refused. */
export interface UploadAnswer {
  id?: string
  message?: string
  meta?: { file?: string } | null
}

/**
 * Posts a multipart form through XHR (fetch cannot report upload progress) and resolves with the server's JSON answer.
 * A body the server cut off before answering in JSON (the global size limit) reads as `tooLargeMessage`.
 */
export function uploadWithProgress(
  url: string,
  form: FormData,
  onProgress: (percent: number) => void,
  tooLargeMessage: string,
): Promise<{ status: number; body: UploadAnswer }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100))
    xhr.onload = () => {
      let body: UploadAnswer = {}
      try {
        body = JSON.parse(xhr.responseText) as UploadAnswer
      } catch {
        body = { message: xhr.status === 413 ? tooLargeMessage : 'errors.internal' }
      }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new Error('network'))
    xhr.send(form)
  })
}
