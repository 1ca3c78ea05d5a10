import { useState } from 'react';
import type { Customer, Me } from '../api.js';
import { Feedback } from '../Feedback.js';
import { formatDate, useT } from '../i18n.js';
import { usePaged } from '../paged.js';
import { UserCard } from './UserCard.js';

const SEGMENTS = ['all', 'active', 'expired', 'trial', 'never_paid', 'blocked'] as const;

/** Customers: search or a segment, newest first, "show more" pages; a row opens the card. */
export function Users({ me }: { me: Me }) {
  const { t, language } = useT();
  const [q, setQ] = useState('');
  const [segment, setSegment] = useState<(typeof SEGMENTS)[number]>('all');
  const [open, setOpen] = useState<number | null>(null);
  const query = new URLSearchParams({ limit: '50', segment, ...(q.trim() ? { q: q.trim() } : {}) });
  const list = usePaged<Customer>('/api/users', query, 250);

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
      <Feedback error={list.error} />
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
          {list.items.map((u) => (
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
      {list.items.length === 0 && !list.error && <p>{t('users.empty')}</p>}
      {list.next && (
        <button type="button" onClick={() => void list.loadMore()}>
          {t('users.more')}
        </button>
      )}
      {open !== null && <UserCard me={me} userId={open} onClose={() => setOpen(null)} onChanged={() => void list.reload()} />}
    </section>
  );
}
