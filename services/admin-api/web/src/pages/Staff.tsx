import { useState, type FormEvent } from 'react';
import { api, type Me, type StaffMember } from '../api.js';
import { Feedback } from '../Feedback.js';
import { describeError, useT } from '../i18n.js';
import { usePaged } from '../paged.js';

const ROLES = ['owner', 'admin', 'finance', 'support', 'marketing', 'viewer'] as const;

/** Staff and their roles; the owner adds people, changes roles and removes access. */
export function Staff({ me }: { me: Me }) {
  const { t } = useT();
  const list = usePaged<StaffMember>('/api/admins', new URLSearchParams());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = me.permissions.includes('admins:write');

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

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    void run(async () => {
      await api('PUT', `/api/admins/${encodeURIComponent(value('telegramId'))}`, { role: value('role'), name: value('name') || null });
      form.reset();
    }, t('staff.saved'));
  };

  return (
    <section>
      <Feedback error={error ?? list.error} notice={notice} />
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('staff.telegramId')}</th>
            <th scope="col">{t('staff.name')}</th>
            <th scope="col">{t('staff.role')}</th>
            <th scope="col">
              <span className="sr-only">{t('staff.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((a) => (
            <tr key={a.id} className={a.active ? undefined : 'muted'}>
              <td data-label={t('staff.telegramId')}>{a.telegramId}</td>
              <td data-label={t('staff.name')}>{a.name ?? '—'}</td>
              <td data-label={t('staff.role')}>
                {canWrite && a.active ? (
                  <select
                    aria-label={t('staff.roleOf', { id: a.telegramId })}
                    value={a.role}
                    onChange={(e) =>
                      void run(() => api('PUT', `/api/admins/${a.telegramId}`, { role: e.target.value, name: a.name }), t('staff.saved'))
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`staff.roles.${r}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  `${t(`staff.roles.${a.role}`)}${a.active ? '' : ` · ${t('staff.removed')}`}`
                )}
              </td>
              <td className="actions">
                {canWrite && a.active && a.id !== me.id && (
                  <button
                    type="button"
                    onClick={() => {
                      if (window.confirm(t('staff.confirmRemove', { id: a.telegramId })))
                        void run(() => api('DELETE', `/api/admins/${a.id}`), t('staff.removedDone'));
                    }}
                  >
                    {t('staff.remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite && (
        <form className="panel" onSubmit={add}>
          <h2>{t('staff.add')}</h2>
          <label>
            {t('staff.telegramId')} <input name="telegramId" required inputMode="numeric" pattern="[0-9]{1,13}" />
          </label>
          <label>
            {t('staff.name')} <input name="name" maxLength={64} />
          </label>
          <label>
            {t('staff.role')}{' '}
            <select name="role" defaultValue="support">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`staff.roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('staff.addSubmit')}</button>
        </form>
      )}
    </section>
  );
}
