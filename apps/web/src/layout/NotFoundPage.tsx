import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from './PageHeading';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="card status-card" data-testid="not-found">
      <PageHeading title={t('nav.notFound')} />
      <Link to="/">{t('nav.backHome')}</Link>
    </div>
  );
}
