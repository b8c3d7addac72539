import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { sectionsFor } from '../home/sections';

interface SiteNavProps {
  roles: readonly string[];
}

/** The pages of this app the person's roles open: home, then the in-app sections. */
export function SiteNav({ roles }: SiteNavProps) {
  const { t } = useTranslation();
  const pages = sectionsFor(roles).filter((section) => section.inApp);
  return (
    <nav className="site-nav" aria-label={t('nav.label')}>
      <ul className="site-nav-list">
        <li>
          <NavLink to="/" end className="site-nav-link">
            {t('nav.home')}
          </NavLink>
        </li>
        {pages.map((section) => (
          <li key={section.id}>
            <NavLink to={section.href} className="site-nav-link" data-section={section.id}>
              {t(`sections.${section.id}.title`)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
