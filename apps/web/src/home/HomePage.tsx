import { useId } from 'react';
import { Link } from 'react-router';
import { Trans, useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { PageHeading } from '../layout/PageHeading';
import { DisplayName } from '../session/DisplayName';
import type { CurrentUser } from '../session/api';
import { todayInTwoCalendars } from './dates';
import { isRoleId } from './roles';
import { sectionsFor } from './sections';

interface HomePageProps {
  user: CurrentUser;
}

export function HomePage({ user }: HomePageProps) {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const today = todayInTwoCalendars(language);
  const sections = sectionsFor(user.roles);

  return (
    <div className="home">
      {/* Takes the focus after sign-in so screen readers announce the new page. */}
      <PageHeading className="home-heading">
        <Trans i18nKey="home.welcome" components={{ name: <DisplayName name={user.displayName} /> }} />
      </PageHeading>

      <div className="home-grid">
        <section className="card" aria-labelledby={`${ids}-account`}>
          <h2 id={`${ids}-account`}>{t('home.account')}</h2>
          <dl className="facts">
            <div className="fact">
              <dt>{t('home.displayName')}</dt>
              <dd data-testid="display-name">
                <DisplayName name={user.displayName} />
              </dd>
            </div>
            <div className="fact">
              <dt>{t('home.username')}</dt>
              <dd data-testid="username">
                <bdi dir="ltr">{user.username}</bdi>
              </dd>
            </div>
            <div className="fact">
              <dt>{t('home.roles')}</dt>
              <dd>
                {user.roles.length === 0 ? (
                  <span className="muted">{t('home.noRoles')}</span>
                ) : (
                  <ul className="role-list" data-testid="roles">
                    {user.roles.map((role) => (
                      <li key={role} className="role" data-role={role}>
                        {isRoleId(role) ? t(`roles.${role}`) : <bdi dir="ltr">{role}</bdi>}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          </dl>
        </section>

        <section className="card" aria-labelledby={`${ids}-today`}>
          <h2 id={`${ids}-today`}>{t('home.today')}</h2>
          <dl className="facts">
            <div className="fact">
              <dt>{t('home.hijri')}</dt>
              <dd data-testid="date-hijri">
                <time dateTime={today.iso}>{today.hijri}</time>
              </dd>
            </div>
            <div className="fact">
              <dt>{t('home.gregorian')}</dt>
              <dd data-testid="date-gregorian">
                <time dateTime={today.iso}>{today.gregorian}</time>
              </dd>
            </div>
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby={`${ids}-sections`}>
        <h2 id={`${ids}-sections`}>{t('home.sections')}</h2>
        {sections.length > 0 ? (
          <ul className="section-list" data-testid="sections">
            {sections.map((section) => (
              <li key={section.id} className="section-item" data-section={section.id}>
                {section.inApp ? (
                  <Link className="section-link" to={section.href}>
                    {t(`sections.${section.id}.title`)}
                  </Link>
                ) : (
                  <a className="section-link" href={section.href}>
                    {t(`sections.${section.id}.title`)}
                  </a>
                )}
                <p className="muted">{t(`sections.${section.id}.description`)}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted" data-testid="no-sections">
            {t('home.noSections')}
          </p>
        )}
      </section>
    </div>
  );
}
