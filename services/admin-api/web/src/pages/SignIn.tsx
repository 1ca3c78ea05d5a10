import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { describeError, useT } from '../i18n.js';

/**
 * Sign-in with a one-time code. A link `/#code=…` (the sandbox prints one, `pnpm admin:web-code`
 * makes one) signs in at once and the code leaves the address bar.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (value: string) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/auth/code', { code: value });
      onSignedIn();
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const fromLink = /^#code=([A-Za-z0-9_-]+)$/.exec(window.location.hash)?.[1];
    if (!fromLink) return;
    history.replaceState(null, '', window.location.pathname);
    void submit(fromLink);
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(code.trim());
  };

  return (
    <main className="signin">
      <h2>{t('signIn.title')}</h2>
      <form onSubmit={onSubmit}>
        <label>
          {t('signIn.code')}
          <input name="code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required minLength={10} />
        </label>
        <p className="hint">{t('signIn.codeHint')}</p>
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
