import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { Button, Dialog, DialogContent, DialogDescription, DialogTitle } from '@impera/ui'
import { ChevronLeft, ChevronRight } from 'lucide-react'
import { useState, type KeyboardEvent } from 'react'
import { brandCss } from '@impera/api/branding'
import { useI18n } from '../i18n'
import { formatMoney } from '../lib/format'

/**
 * A listing shared with a contact (issue 16): public, by its token alone, expiring. It shows the listing and the
 * agency's name, professional registration (CRECI), logo and colour — nothing else of the agency's — and each view is
 * counted on the lead.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const share = await context.app.services.readPropertyShare(params.token ?? '')
  if (!share) return data({ share: null }, { status: 404, headers: { 'X-Robots-Tag': 'noindex' } })
  return data({ share }, { headers: { 'X-Robots-Tag': 'noindex', 'Cache-Control': 'private, no-store' } })
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => {
  const share = d?.share
  if (!share) return [{ title: 'Impera' }, { name: 'robots', content: 'noindex' }]
  const title = `${share.property.title} · ${share.agency.name}`
  return [
    { title },
    { name: 'robots', content: 'noindex' },
    { property: 'og:title', content: title },
    {
      property: 'og:description',
      content: [share.property.neighbourhood, share.property.city].filter(Boolean).join(', '),
    },
    ...(share.photos[0] ? [{ property: 'og:image', content: share.photos[0].url }] : []),
  ]
}

export default function SharedProperty() {
  const { t, locale } = useI18n()
  const { share } = useLoaderData<typeof loader>()
  const [open, setOpen] = useState<number | null>(null)
  if (!share)
    return (
      <main className="mx-auto flex min-h-dvh max-w-xl flex-col items-center justify-center gap-2 p-6 text-center">
        <h1 className="text-xl font-semibold">{t('sharing.goneTitle')}</h1>
        <p className="text-muted-foreground">{t('sharing.gone')}</p>
      </main>
    )
  const { property: p, photos, agency } = share
  const money = (cents: number | null) => (cents === null ? null : formatMoney(cents, agency.currency, locale))
  const facts = [
    p.bedrooms !== null ? [t('properties.bedrooms'), p.bedrooms] : null,
    p.suites ? [t('properties.suites'), p.suites] : null,
    p.bathrooms !== null ? [t('properties.bathrooms'), p.bathrooms] : null,
    p.parkingSpaces !== null ? [t('properties.parkingSpaces'), p.parkingSpaces] : null,
    p.builtArea !== null ? [t('properties.builtArea'), p.builtArea] : null,
    p.totalArea !== null ? [t('properties.totalArea'), p.totalArea] : null,
    p.condoFee !== null ? [t('properties.condoFee'), money(p.condoFee)] : null,
    p.propertyTax !== null ? [t('properties.propertyTax'), money(p.propertyTax)] : null,
  ].filter((f): f is [string, string | number] => f !== null)
  const step = (by: number) => setOpen((i) => (i === null ? i : (i + by + photos.length) % photos.length))
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') step(1)
    if (e.key === 'ArrowLeft') step(-1)
  }
  const brand = brandCss(agency.brandColor)
  return (
    <main className="mx-auto flex max-w-4xl min-w-0 flex-col gap-6 p-4 sm:p-8">
      {brand ? <style>{brand}</style> : null}
      <header className="flex flex-col gap-1">
        <div className="flex items-center gap-3">
          {agency.logoUrl ? (
            <img
              src={agency.logoUrl}
              alt=""
              className="h-10 w-auto max-w-32 object-contain"
              data-testid="shared-logo"
            />
          ) : null}
          <p className="text-sm text-muted-foreground" data-testid="shared-agency">
            {agency.name}
            {agency.licenseNumber ? ` · ${agency.licenseNumber}` : ''}
          </p>
        </div>
        <h1 className="text-2xl font-bold" data-testid="shared-title">
          {p.title}
        </h1>
        <p className="text-muted-foreground">
          {[p.neighbourhood, p.city, p.state].filter(Boolean).join(', ')}
          {p.code ? ` · ${p.code}` : ''}
        </p>
        <p className="text-xl font-semibold">
          {[
            p.salePrice !== null ? money(p.salePrice) : null,
            p.rentPrice !== null ? `${money(p.rentPrice)}${t('properties.perMonth')}` : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
        {p.status !== 'available' ? (
          <p className="text-sm font-medium text-destructive">{t(`properties.statuses.${p.status}`)}</p>
        ) : null}
      </header>
      {photos.length ? (
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3" aria-label={t('sharing.photos')} data-testid="gallery">
          {photos.map((photo, i) => (
            <li key={photo.url} className={i === 0 ? 'col-span-2 row-span-2' : undefined}>
              <button
                type="button"
                className="block w-full overflow-hidden rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                onClick={() => setOpen(i)}
                aria-label={t('sharing.openPhoto', { n: i + 1, total: photos.length })}
              >
                <img
                  src={photo.url}
                  alt=""
                  width={photo.width ?? undefined}
                  height={photo.height ?? undefined}
                  loading={i < 3 ? 'eager' : 'lazy'}
                  className="aspect-[4/3] w-full object-cover"
                />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {facts.length ? (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {facts.map(([label, value]) => (
            <div key={label} className="rounded-md border p-3">
              <dt className="text-xs text-muted-foreground">{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {p.features.length ? (
        <section>
          <h2 className="mb-2 font-semibold">{t('properties.features')}</h2>
          <p className="text-sm">{p.features.join(' · ')}</p>
        </section>
      ) : null}
      {p.description ? <p className="text-sm whitespace-pre-line">{p.description}</p> : null}
      <Dialog open={open !== null} onOpenChange={(o) => (o ? null : setOpen(null))}>
        <DialogContent closeLabel={t('common.close')} className="max-w-5xl" onKeyDown={onKey}>
          <DialogTitle>{p.title}</DialogTitle>
          <DialogDescription>
            {open !== null ? t('sharing.photoOf', { n: open + 1, total: photos.length }) : null}
          </DialogDescription>
          {open !== null ? (
            <div className="flex items-center gap-2">
              <Button variant="ghost" size="icon" aria-label={t('sharing.previous')} onClick={() => step(-1)}>
                <ChevronLeft aria-hidden />
              </Button>
              <img
                src={photos[open]!.url}
                alt={t('sharing.photoOf', { n: open + 1, total: photos.length })}
                className="max-h-[75dvh] min-w-0 flex-1 object-contain"
                data-testid="lightbox-photo"
              />
              <Button variant="ghost" size="icon" aria-label={t('sharing.next')} onClick={() => step(1)}>
                <ChevronRight aria-hidden />
              </Button>
            </div>
          ) : null}
        </DialogContent>
      </Dialog>
    </main>
  )
}
