import { useCallback, useEffect, useState } from 'react';
import { api, type Customer, type Me, type Page } from '../api.js';
import { describeError, formatDate, useT } from '../i18n.js';
import { UserCard } from './UserCard.js';

const SEGMENTS = ['all', 'active', 'expired', 'trial', 'never_paid', 'blocked'] as const;

/** Customers: search or a segment, newest first, "show more" pages; a row opens the card. */
export function Users({ me }: { me: Me }) {
  const { t, language } = useT();
  const [q, setQ] = useState('');
  const [segment, setSegment] = useState<(typeof SEGMENTS)[number]>('all');
  const [items, setItems] = useState<Customer[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before: string | null) => {
      const params = new URLSearchParams({ limit: '50', segment });
      if (q.trim()) params.set('q', q.trim());
      if (before) params.set('before', before);
      try {
        const page = await api<Page<Customer>>('GET', `/api/users?${params}`);
        setItems((prev) => (before ? [...prev, ...page.items] : page.items));
        setNext(page.next);
        setError(null);
      } catch (e) {
        setError(describeError(t, e));
      }
    },
    [q, segment, t],
  );

  useEffect(() => {
    const timer = setTimeout(() => void load(null), 250);
    return () => clearTimeout(timer);
  }, [load]);

  return (
    <section>
      <div className="filters">
        <label>
          <span className="sr-only">{t('users.search')}</span>
          <input type="search" placeholder={t('users.search')} value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          {t('users.segment')}
          <select value={segment} onChange={(e) => setSegment(e.target.value as (typeof SEGMENTS)[number])}>
            {SEGMENTS.map((s) => (
              <option key={s} value={s}>
                {t(`users.segments.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('users.id')}</th>
            <th scope="col">{t('users.telegramId')}</th>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.name')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.joined')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((u) => (
            <tr key={u.id}>
              <td data-label={t('users.id')}>
                <button type="button" className="link" aria-label={t('users.open', { id: u.id })} onClick={() => setOpen(u.id)}>
                  {u.id}
                </button>
              </td>
              <td data-label={t('users.telegramId')}>{u.telegramId}</td>
              <td data-label={t('users.username')}>{u.username ? `@${u.username}` : '—'}</td>
              <td data-label={t('users.name')}>{u.firstName ?? '—'}</td>
              <td data-label={t('users.status')}>{u.blocked ? t('users.blocked') : t('users.ok')}</td>
              <td data-label={t('users.joined')}>{formatDate(language, u.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error && <p>{t('users.empty')}</p>}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t('users.more')}
        </button>
      )}
      {open !== null && <UserCard me={me} userId={open} onClose={() => setOpen(null)} onChanged={() => void load(null)} />}
    </section>
  );
}
