import { Link } from '@remix-run/react'
import { PageHeader as Header, type PageAction, type PageLink } from '@impera/ui'
import { forwardRef, type AnchorHTMLAttributes, type ComponentProps } from 'react'
import { useT } from '../i18n'

export type { PageAction }

const AppLink: PageLink = forwardRef<HTMLAnchorElement, { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>>(
  (props, ref) => <Link ref={ref} {...props} />,
)
AppLink.displayName = 'AppLink'

/** packages/ui's page header with the app's links and its "more actions" label. */
export function PageHeader(props: Omit<ComponentProps<typeof Header>, 'link' | 'moreLabel'>) {
  const t = useT()
  return <Header {...props} link={AppLink} moreLabel={t('common.moreActions')} />
}
