import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Me } from './api.js';
import { i18n, initialLanguage, LanguageContext, saveLanguage, type Language } from './i18n.js';
import { Audit } from './pages/Audit.js';
import { Payments } from './pages/Payments.js';
import { Servers } from './pages/Servers.js';
import { SignIn } from './pages/SignIn.js';
import { Staff } from './pages/Staff.js';
import { Users } from './pages/Users.js';

type Section = 'users' | 'payments' | 'servers' | 'staff' | 'audit';

/** Sections an admin sees: only those their role may read. */
const SECTIONS: Array<{ id: Section; permission: string }> = [
  { id: 'users', permission: 'customers:read' },
  { id: 'payments', permission: 'payments:read' },
  { id: 'servers', permission: 'servers:read' },
  { id: 'staff', permission: 'admins:read' },
  { id: 'audit', permission: 'audit:read' },
];

export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [section, setSection] = useState<Section>('users');
  const t = useMemo(() => i18n.getFixedT(language), [language]);

  const loadMe = useCallback(() => {
    api<Me>('GET', '/api/auth/me').then(setMe, () => setMe(null));
  }, []);
  useEffect(loadMe, [loadMe]);

  const changeLanguage = (next: Language) => {
    saveLanguage(next);
    setLanguage(next);
  };

  const visible = SECTIONS.filter((s) => me?.permissions.includes(s.permission));
  const current = visible.some((s) => s.id === section) ? section : visible[0]?.id;

  return (
    <LanguageContext.Provider value={{ language, t }}>
      <header className="top">
        <h1>{t('app.title')}</h1>
        <label className="lang">
          {t('app.language')}
          <select value={language} onChange={(e) => changeLanguage(e.target.value as Language)}>
            <option value="ru">Русский</option>
            <option value="en">English</option>
          </select>
        </label>
        {me && (
          <>
            <span className="who">
              {me.name ?? me.telegramId} · {t('app.role', { role: t(`staff.roles.${me.role}`) })}
            </span>
            <button type="button" onClick={() => void api('POST', '/api/auth/logout').finally(() => setMe(null))}>
              {t('app.signOut')}
            </button>
          </>
        )}
      </header>
      {me === null && <SignIn onSignedIn={loadMe} />}
      {me && (
        <>
          <nav aria-label={t('app.nav')} className="tabs">
            {visible.map((s) => (
              <button key={s.id} type="button" aria-current={current === s.id ? 'page' : undefined} onClick={() => setSection(s.id)}>
                {t(`nav.${s.id}`)}
              </button>
            ))}
            {me.permissions.includes('queues:manage') && (
              // Bull Board is its own page; the session is refreshed first so its requests carry a live token.
              <a
                className="tab-link"
                href="/api/queues/"
                target="_blank"
                rel="noopener"
                onClick={(e) => {
                  e.preventDefault();
                  void api('GET', '/api/auth/me').finally(() => window.open('/api/queues/', '_blank', 'noopener'));
                }}
              >
                {t('nav.queues')}
              </a>
            )}
          </nav>
          <main>
            {current === 'users' && <Users me={me} />}
            {current === 'payments' && <Payments me={me} />}
            {current === 'servers' && <Servers me={me} />}
            {current === 'staff' && <Staff me={me} />}
            {current === 'audit' && <Audit />}
          </main>
        </>
      )}
    </LanguageContext.Provider>
  );
}
