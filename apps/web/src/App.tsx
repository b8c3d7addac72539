import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SiteHeader } from './layout/SiteHeader';
import { LoginPage } from './login/LoginPage';
import { HomePage } from './home/HomePage';
import { fetchCurrentUser, logout, type CurrentUser } from './session/api';

type Session =
  | { state: 'checking' }
  | { state: 'unreachable' }
  | { state: 'signed-out' }
  | { state: 'signed-in'; user: CurrentUser };

/**
 * Two screens, chosen by GET /api/me: 200 → home, 401 → sign-in. No router: later
 * pages arrive as sections on the home page.
 */
export function App() {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [signingOut, setSigningOut] = useState(false);

  const checkSession = useCallback(async () => {
    setSession({ state: 'checking' });
    try {
      const user = await fetchCurrentUser();
      setSession(user ? { state: 'signed-in', user } : { state: 'signed-out' });
    } catch {
      setSession({ state: 'unreachable' });
    }
  }, []);

  useEffect(() => {
    void checkSession();
  }, [checkSession]);

  const handleSignedIn = useCallback((user: CurrentUser) => setSession({ state: 'signed-in', user }), []);

  const handleLogout = useCallback(async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // Whatever the server said, ask it again who we are rather than guess.
    } finally {
      setSigningOut(false);
    }
    await checkSession();
  }, [checkSession]);

  const user = session.state === 'signed-in' ? session.user : null;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <SiteHeader user={user} signingOut={signingOut} onLogout={handleLogout} />
      <main id="main" className="page" tabIndex={-1}>
        {session.state === 'checking' && (
          <p className="status" role="status" aria-live="polite">
            {t('app.loading')}
          </p>
        )}
        {session.state === 'unreachable' && (
          <div className="card status-card" role="alert">
            <p>{t('app.sessionError')}</p>
            <button type="button" className="button button-primary" onClick={() => void checkSession()}>
              {t('app.retry')}
            </button>
          </div>
        )}
        {session.state === 'signed-out' && <LoginPage onSignedIn={handleSignedIn} />}
        {session.state === 'signed-in' && <HomePage user={session.user} />}
      </main>
    </>
  );
}
