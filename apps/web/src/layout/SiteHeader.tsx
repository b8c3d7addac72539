import { useTranslation } from 'react-i18next';
import { DisplayName } from '../session/DisplayName';
import { LanguageSwitch } from './LanguageSwitch';
import type { CurrentUser } from '../session/api';

interface SiteHeaderProps {
  user: CurrentUser | null;
  signingOut: boolean;
  onLogout: () => void;
}

export function SiteHeader({ user, signingOut, onLogout }: SiteHeaderProps) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <div className="brand">
          <svg className="brand-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
            <rect width="64" height="64" rx="14" />
            <path d="M16 44V20l16 14 16-14v24" />
          </svg>
          <div className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-society">{t('app.society')}</span>
          </div>
        </div>
        <div className="header-actions">
          {user && (
            <span className="header-user" data-testid="header-user" title={t('header.account')}>
              <DisplayName name={user.displayName} />
            </span>
          )}
          <LanguageSwitch />
          {user && (
            <button
              type="button"
              className="button button-on-dark"
              onClick={onLogout}
              disabled={signingOut}
              aria-busy={signingOut}
            >
              {signingOut ? t('header.loggingOut') : t('header.logout')}
            </button>
          )}
        </div>
      </div>
    </header>
  );
}
