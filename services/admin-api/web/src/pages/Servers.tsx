import { useState, type FormEvent } from 'react';
import { api, type Me, type Server } from '../api.js';
import { Feedback } from '../Feedback.js';
import { describeError, formatDate, useT } from '../i18n.js';
import { usePaged } from '../paged.js';

const KINDS = ['marzban', 'pasarguard', '3x-ui', 'remnawave', 'wg-easy'] as const;

/** Panels: health and load at a glance; check now, drain, disable; add one (tested before it is saved). */
export function Servers({ me }: { me: Me }) {
  const { t, language } = useT();
  const list = usePaged<Server>('/api/servers', new URLSearchParams());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = me.permissions.includes('servers:write');

  const run = async (call: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await call();
      setNotice(done);
      await list.reload();
    } catch (e) {
      setError(describeError(t, e));
    }
  };

  return (
    <section>
      <Feedback error={error ?? list.error} notice={notice} />
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('servers.name')}</th>
            <th scope="col">{t('servers.kind')}</th>
            <th scope="col">{t('servers.health')}</th>
            <th scope="col">{t('servers.load')}</th>
            <th scope="col">{t('servers.state')}</th>
            <th scope="col">
              <span className="sr-only">{t('servers.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((s) => (
            <tr key={s.id}>
              <td data-label={t('servers.name')}>
                {s.name} {s.countryCode ? `(${s.countryCode})` : ''}
              </td>
              <td data-label={t('servers.kind')}>{s.panelKind}</td>
              <td data-label={t('servers.health')} title={s.lastError ?? undefined}>
                {t(`servers.healthStatus.${s.healthStatus}`, { defaultValue: s.healthStatus })}
                {s.latencyMs !== null ? ` · ${s.latencyMs} ms` : ''} · {formatDate(language, s.healthCheckedAt)}
              </td>
              <td data-label={t('servers.load')}>
                {s.usersCount} / {s.capacity ?? '∞'}
              </td>
              <td data-label={t('servers.state')}>
                {!s.active ? t('servers.disabled') : s.weight === 0 ? t('servers.drained') : t('servers.inUse')}
              </td>
              <td className="actions">
                <button type="button" onClick={() => void run(() => api('POST', `/api/servers/${s.id}/check`, {}), t('servers.checked'))}>
                  {t('servers.check')}
                </button>
                {canWrite && (
                  <>
                    <button
                      type="button"
                      onClick={() =>
                        void run(() => api('PATCH', `/api/servers/${s.id}`, { weight: s.weight === 0 ? 1 : 0 }), t('servers.saved'))
                      }
                    >
                      {s.weight === 0 ? t('servers.undrain') : t('servers.drain')}
                    </button>
                    <button
                      type="button"
                      onClick={() => void run(() => api('PATCH', `/api/servers/${s.id}`, { active: !s.active }), t('servers.saved'))}
                    >
                      {s.active ? t('servers.disable') : t('servers.enable')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.items.length === 0 && !list.error && <p>{t('servers.empty')}</p>}
      {canWrite && <AddServer onAdded={(name) => void run(() => Promise.resolve(), t('servers.added', { name }))} />}
    </section>
  );
}

/** The add-a-panel form: credentials go to the API once and are never shown back. */
function AddServer({ onAdded }: { onAdded: (name: string) => void }) {
  const { t } = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    setError(null);
    let settings: Record<string, unknown> = {};
    try {
      settings = field('settings') ? (JSON.parse(field('settings')) as Record<string, unknown>) : {};
    } catch {
      setError(t('servers.settingsJson'));
      return;
    }
    const baseUrl = field('baseUrl');
    const kind = field('panelKind');
    const credentials: Record<string, string> = field('token')
      ? { [kind === 'pasarguard' ? 'apiKey' : 'apiToken']: field('token') }
      : { username: field('username'), password: field('password') };
    setBusy(true);
    try {
      await api('POST', '/api/servers', {
        name: field('name'),
        panelKind: kind,
        baseUrl,
        credentials,
        // Marzban and PasarGuard render links under the panel's own address unless told otherwise.
        settings: { ...(kind === 'marzban' || kind === 'pasarguard' ? { subscriptionBaseUrl: baseUrl } : {}), ...settings },
        countryCode: field('countryCode') || null,
        capacity: field('capacity') ? Number(field('capacity')) : null,
      });
      form.reset();
      onAdded(field('name'));
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={(e) => void submit(e)}>
      <h2>{t('servers.add')}</h2>
      <Feedback error={error} />
      <label>
        {t('servers.name')} <input name="name" required maxLength={64} pattern="[A-Za-z0-9_.\-]+" />
      </label>
      <label>
        {t('servers.kind')}{' '}
        <select name="panelKind">
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        {t('servers.baseUrl')} <input name="baseUrl" type="url" required />
      </label>
      <label>
        {t('servers.username')} <input name="username" autoComplete="off" />
      </label>
      <label>
        {t('servers.password')} <input name="password" type="password" autoComplete="new-password" />
      </label>
      <label>
        {t('servers.token')} <input name="token" type="password" autoComplete="off" />
      </label>
      <label>
        {t('servers.country')} <input name="countryCode" maxLength={2} />
      </label>
      <label>
        {t('servers.capacity')} <input name="capacity" type="number" min={1} />
      </label>
      <label>
        {t('servers.settings')} <textarea name="settings" rows={2} placeholder='{"inboundId": 1}' />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t('servers.testing') : t('servers.addSubmit')}
      </button>
    </form>
  );
}
