import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { describeError, useT } from '../i18n.js';

declare global {
  interface Window {
    /** Called by Telegram's Login Widget with the signed data of the account that confirmed. */
    onTelegramAuth?: (user: Record<string, string | number>) => void;
  }
}

/**
 * Telegram's Login Widget for the admin bot: Telegram's own script draws the button, and the data
 * it hands back (signed with the bot's token) goes to the API, which checks the signature.
 */
function LoginWidget({ bot, onData }: { bot: string; onData: (user: Record<string, string | number>) => void }) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    window.onTelegramAuth = onData;
    const script = document.createElement('script');
    script.async = true;
    script.src = 'https://telegram.org/js/telegram-widget.js?22';
    script.dataset.telegramLogin = bot;
    script.dataset.size = 'large';
    script.dataset.onauth = 'onTelegramAuth(user)';
    script.dataset.requestAccess = 'write';
    holder.current?.replaceChildren(script);
    return () => {
      delete window.onTelegramAuth;
    };
  }, [bot, onData]);
  return <div ref={holder} className="widget" />;
}

/**
 * Sign-in with the Telegram Login Widget (when the admin bot is known) or a one-time code. A link `/#code=…` (the sandbox prints one, `pnpm admin:web-code`
 * makes one) signs in at once and the code leaves the address bar.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [widgetBot, setWidgetBot] = useState<string | null>(null);

  useEffect(() => {
    api<{ widgetBot: string | null }>('GET', '/api/auth/config').then(
      (c) => setWidgetBot(c.widgetBot),
      () => setWidgetBot(null),
    );
  }, []);

  const submit = async (value: string | Record<string, string | number>) => {
    setBusy(true);
    setError(null);
    try {
      if (typeof value === 'string') await api('POST', '/api/auth/code', { code: value });
      else await api('POST', '/api/auth/telegram', value);
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

  const onWidget = useCallback((user: Record<string, string | number>) => void submit(user), []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(code.trim());
  };

  return (
    <main className="signin">
      <h2>{t('signIn.title')}</h2>
      {widgetBot && (
        <>
          <LoginWidget bot={widgetBot} onData={onWidget} />
          <p className="hint">{t('signIn.or')}</p>
        </>
      )}
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
