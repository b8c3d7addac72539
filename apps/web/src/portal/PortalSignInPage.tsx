import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { PageHeading } from '../layout/PageHeading';
import type { CurrentUser } from '../session/api';
import { askCode, demoNotices, signInWithCode } from './api';
import { portalErrorMessage } from './portalError';

/**
 * /portal signed out: an applicant registers or signs in with a Saudi mobile number and the
 * six-digit code sent to it. In the demo setting the server also lets the page read the
 * message it "sent", so a demo can be followed without a phone.
 */
export function PortalSignInPage({ onSignedIn }: { onSignedIn: (user: CurrentUser) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [mobile, setMobile] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [demoMessage, setDemoMessage] = useState<{ ar: string; en: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function sendCode(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const sent = await askCode(mobile);
      setSentTo(sent.sentTo);
      setCode('');
      setDemoMessage(await demoNotices(mobile).then((n) => n[0]?.body ?? null, () => null));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signInWithCode(mobile, code));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  const errorBox = error !== null && (
    <p className="form-error" role="alert" id={`${ids}-error`}>
      {portalErrorMessage(t, error)}
    </p>
  );

  return (
    <section className="card login-card portal-card" aria-labelledby={`${ids}-heading`}>
      <PageHeading id={`${ids}-heading`} title={t('portal.signIn.heading')}>
        {t('portal.signIn.heading')}
      </PageHeading>
      <p className="muted">{t('portal.signIn.intro')}</p>
      {sentTo === null ? (
        <form className="form" onSubmit={(e) => void sendCode(e)} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-mobile`}>{t('portal.signIn.mobile')}</label>
            <input
              id={`${ids}-mobile`}
              name="mobile"
              type="tel"
              dir="ltr"
              inputMode="tel"
              autoComplete="tel"
              maxLength={20}
              value={mobile}
              onChange={(e) => setMobile(e.target.value)}
              aria-describedby={`${ids}-mobile-hint`}
            />
            <p className="hint" id={`${ids}-mobile-hint`}>
              {t('portal.signIn.mobileHint')}
            </p>
          </div>
          {errorBox}
          <button type="submit" className="button button-primary button-block" aria-busy={busy || undefined}>
            {busy ? t('portal.signIn.sending') : t('portal.signIn.sendCode')}
          </button>
        </form>
      ) : (
        <form className="form" onSubmit={(e) => void submitCode(e)} noValidate>
          <p className="notice" role="status">
            {t('portal.signIn.sent', { to: `\u2066${sentTo}\u2069` })}
          </p>
          {demoMessage && (
            <div className="notice demo-message" data-testid="demo-code-message">
              <p className="subheading">{t('portal.signIn.demoMessage')}</p>
              <p>{demoMessage[currentLanguage()]}</p>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-code`}>{t('portal.signIn.code')}</label>
            <input
              id={`${ids}-code`}
              name="code"
              type="text"
              dir="ltr"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => {
                  setCode(e.target.value);
                  setError(null);
                }}
            />
          </div>
          {errorBox}
          <button type="submit" className="button button-primary button-block" aria-busy={busy || undefined}>
            {busy ? t('portal.signIn.signingIn') : t('portal.signIn.submit')}
          </button>
          <button type="button" className="button button-quiet" onClick={() => { setSentTo(null); setError(null); }}>
            {t('portal.signIn.otherNumber')}
          </button>
        </form>
      )}
    </section>
  );
}
