import { useRevalidator } from '@remix-run/react'
import { Badge, Button, useToast } from '@impera/ui'
import { useEffect, useRef, useState } from 'react'
import { useT } from '../i18n'
import { errorKey, trpc } from '../lib/trpc-client'
import { uploadWithProgress } from '../lib/upload'

interface Photo {
  id: string
  width: number
  height: number
  originalName: string | null
}

/**
 * A property's photos: add several (button or drop), reorder with buttons (keyboard-friendly), make one the cover (the
 * first), delete. Order changes show at once and roll back with a message if the server refuses.
 */
export function PhotoManager({
  propertyId,
  title,
  photos,
  canEdit,
}: {
  propertyId: string
  title: string
  photos: Photo[]
  canEdit: boolean
}) {
  const t = useT()
  const toast = useToast()
  const revalidator = useRevalidator()
  const [order, setOrder] = useState(photos)
  const [progress, setProgress] = useState<number | null>(null)
  const [dragging, setDragging] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => setOrder(photos), [photos])

  const fail = (e: unknown) => {
    toast({ title: t(errorKey(e)), variant: 'destructive' })
    setOrder(photos)
    revalidator.revalidate()
  }
  const reorder = (next: Photo[]) => {
    setOrder(next)
    trpc.properties.reorderPhotos
      .mutate({ propertyId, photoIds: next.map((p) => p.id) })
      .then(() => revalidator.revalidate(), fail)
  }
  const move = (i: number, delta: number) => {
    const next = [...order]
    const [p] = next.splice(i, 1)
    next.splice(i + delta, 0, p!)
    reorder(next)
  }
  const makeCover = (id: string) => {
    setOrder([order.find((p) => p.id === id)!, ...order.filter((p) => p.id !== id)])
    trpc.properties.setCover.mutate({ photoId: id }).then(() => revalidator.revalidate(), fail)
  }
  const remove = (id: string) => {
    if (!window.confirm(t('properties.confirmDeletePhoto'))) return
    setOrder(order.filter((p) => p.id !== id))
    trpc.properties.deletePhoto.mutate({ id }).then(() => {
      toast({ title: t('properties.photoDeleted'), variant: 'success' })
      revalidator.revalidate()
    }, fail)
  }
  const upload = async (files: File[]) => {
    if (!files.length) return
    setProgress(0)
    try {
      const form = new FormData()
      for (const f of files) form.append('photos', f, f.name)
      const { status, body } = await uploadWithProgress(
        `/uploads/properties/${propertyId}/photos`,
        form,
        setProgress,
        'properties.photoTooMany',
      )
      if (status === 201) toast({ title: t('properties.uploaded', { count: files.length }), variant: 'success' })
      else
        toast({ title: t(body.message ?? 'errors.internal', { file: body.meta?.file ?? '' }), variant: 'destructive' })
    } catch {
      toast({ title: t('errors.internal'), variant: 'destructive' })
    } finally {
      setProgress(null)
      if (input.current) input.current.value = ''
      revalidator.revalidate()
    }
  }
  return (
    <div
      className={`grid gap-3 rounded-md ${dragging ? 'outline-2 outline-primary outline-dashed' : ''}`}
      onDragOver={(e) => {
        if (!canEdit || !e.dataTransfer.types.includes('Files')) return
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (!canEdit) return
        e.preventDefault()
        setDragging(false)
        void upload([...e.dataTransfer.files])
      }}
    >
      {order.length === 0 ? <p className="text-sm text-muted-foreground">{t('properties.noPhotos')}</p> : null}
      <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="photos">
        {order.map((p, i) => (
          <li key={p.id} className="grid gap-1" data-testid="photo">
            <a
              href={`/media/photos/${p.id}/full`}
              target="_blank"
              rel="noreferrer"
              className="relative block aspect-[4/3] overflow-hidden rounded-md bg-muted focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
            >
              <img
                src={`/media/photos/${p.id}/thumb`}
                alt={t('properties.photoAlt', { n: i + 1, title })}
                loading="lazy"
                className="size-full object-cover"
                data-photo-name={p.originalName ?? ''}
              />
              {i === 0 ? (
                <Badge className="absolute top-1 left-1" data-testid="cover-badge">
                  {t('properties.cover')}
                </Badge>
              ) : null}
            </a>
            {canEdit ? (
              <div className="flex flex-wrap gap-1">
                <Button
                  type="button"
                  size="sm"
                  variant="ghost"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={`${t('properties.moveLeft')} (${i + 1})`}
                >
                  ←
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="ghost"
                  disabled={i === order.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`${t('properties.moveRight')} (${i + 1})`}
                >
                  →
                </Button>
                {i > 0 ? (
                  <Button type="button" size="sm" variant="ghost" onClick={() => makeCover(p.id)}>
                    {t('properties.makeCover')}
                  </Button>
                ) : null}
                <Button
                  type="button"
                  size="sm"
                  variant="ghost"
                  className="text-destructive"
                  onClick={() => remove(p.id)}
                  aria-label={`${t('properties.deletePhoto')} (${i + 1})`}
                >
                  ✕
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {canEdit ? (
        <div className="grid gap-2">
          <p className="text-xs text-muted-foreground">{t('properties.photosHelp')}</p>
          <div className="flex flex-wrap items-center gap-3">
            <input
              ref={input}
              type="file"
              accept="image/jpeg,image/png,image/webp,image/avif"
              multiple
              className="sr-only"
              id="photo-input"
              data-testid="photo-input"
              onChange={(e) => void upload([...(e.target.files ?? [])])}
            />
            <Button asChild variant="outline" size="sm" loading={progress !== null}>
              <label
                htmlFor="photo-input"
                className="cursor-pointer"
                tabIndex={0}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current?.click()}
              >
                {t('properties.addPhotos')}
              </label>
            </Button>
            {progress !== null ? (
              <div className="flex items-center gap-2 text-sm" role="status">
                <progress value={progress} max={100} className="h-2 w-32" />
                {t('properties.uploading', { percent: progress })}
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  )
}
