import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { login, type CurrentUser } from '../session/api';
import { MissingCredentials, loginErrorMessage } from './loginError';

interface LoginPageProps {
  onSignedIn: (user: CurrentUser) => void;
}

export function LoginPage({ onSignedIn }: LoginPageProps) {
  const { t } = useTranslation();
  const ids = useId();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (!username.trim() || !password) {
      setError(new MissingCredentials());
      (username.trim() ? passwordRef : usernameRef).current?.focus();
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const user = await login(username.trim(), password);
      onSignedIn(user);
    } catch (failure) {
      setError(failure);
      setPassword('');
      setSubmitting(false);
      passwordRef.current?.focus();
    }
  }

  const errorId = `${ids}-error`;
  const hasError = error !== null;

  return (
    <section className="card login-card" aria-labelledby={`${ids}-heading`}>
      <h1 id={`${ids}-heading`}>{t('login.heading')}</h1>
      <p className="muted">{t('login.intro')}</p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-describedby={hasError ? errorId : undefined}>
        <div className="field">
          <label htmlFor={`${ids}-username`}>{t('login.username')}</label>
          <input
            ref={usernameRef}
            id={`${ids}-username`}
            name="username"
            type="text"
            dir="ltr"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={100}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-invalid={hasError || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-password`}>{t('login.password')}</label>
          <input
            ref={passwordRef}
            id={`${ids}-password`}
            name="password"
            type="password"
            dir="ltr"
            autoComplete="current-password"
            required
            maxLength={200}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={hasError || undefined}
          />
        </div>
        {hasError && (
          <p id={errorId} className="form-error" role="alert">
            {loginErrorMessage(t, error)}
          </p>
        )}
        <button type="submit" className="button button-primary button-block" disabled={submitting} aria-busy={submitting}>
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
