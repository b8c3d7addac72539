import { Link, NavLink, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { sectionsFor } from '../home/sections';

interface SiteNavProps {
  roles: readonly string[];
}

/** The pages of this app the person's roles open: home, then the in-app sections. */
export function SiteNav({ roles }: SiteNavProps) {
  const { t } = useTranslation();
  const pages = sectionsFor(roles).filter((section) => section.inApp);
  const { pathname } = useLocation();
  const under = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  // /cases/new is "Record a request", not "Requests": the longest matching address wins.
  const current = pages.filter((section) => under(section.href)).sort((a, b) => b.href.length - a.href.length)[0]?.id;
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
            <Link
              to={section.href}
              className={`site-nav-link${section.id === current ? ' active' : ''}`}
              aria-current={section.id === current ? 'page' : undefined}
              data-section={section.id}
            >
              {t(`sections.${section.id}.title`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
