import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { mayOpen, type SectionId } from '../home/sections';
import { PageHeading } from './PageHeading';

interface RequireSectionProps {
  section: SectionId;
  roles: readonly string[];
  children: ReactNode;
}

/**
 * Shows the page only to roles its section lists; others read why and go home. (The server
 * refuses their calls anyway: this only spares them a page of errors.)
 */
export function RequireSection({ section, roles, children }: RequireSectionProps) {
  const { t } = useTranslation();
  if (mayOpen(roles, section)) return <>{children}</>;
  return (
    <div className="card status-card" data-testid="not-for-roles">
      <PageHeading title={t(`sections.${section}.title`)} />
      <p>{t('nav.notForRoles')}</p>
      <Link to="/">{t('nav.backHome')}</Link>
    </div>
  );
}
