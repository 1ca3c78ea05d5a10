import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type AuditEntry, type Customer, type Me, type Payment, type Subscription } from '../api.js';
import { Feedback } from '../Feedback.js';
import { describeError, formatDate, formatMoney, useT } from '../i18n.js';

interface Card {
  user: Customer;
  subscriptions: Subscription[];
  payments: Payment[];
  audit: AuditEntry[];
}

/** A customer's card in a side panel: subscriptions, payments, staff actions; extend and block. */
export function UserCard({ me, userId, onClose, onChanged }: { me: Me; userId: number; onClose: () => void; onChanged: () => void }) {
  const { t, language } = useT();
  const [card, setCard] = useState<Card | null>(null);
  const [days, setDays] = useState('7');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<Card>('GET', `/api/users/${userId}`).then(setCard, (e: unknown) => setError(describeError(t, e)));
  }, [userId, t]);
  useEffect(load, [load]);

  const act = async (path: string, body: unknown, done: (result: unknown) => string) => {
    setError(null);
    setNotice(null);
    try {
      const result = await api('POST', `/api/users/${userId}/${path}`, body);
      setNotice(done(result));
      load();
      onChanged();
    } catch (e) {
      setError(describeError(t, e));
    }
  };

  const extend = (e: FormEvent) => {
    e.preventDefault();
    void act('extend', { days: Number(days), ...(reason ? { reason } : {}) }, (r) =>
      t('card.extended', { date: formatDate(language, (r as { after: { endsAt: string } }).after.endsAt) }),
    );
  };
  const toggleBlock = () => {
    if (!card) return;
    if (!card.user.blocked && !reason.trim()) return setError(t('card.reasonRequired'));
    void act(card.user.blocked ? 'unblock' : 'block', { reason: reason.trim() || undefined }, () =>
      card.user.blocked ? t('card.unblockedDone') : t('card.blockedDone'),
    );
  };
  const can = (p: string) => me.permissions.includes(p);

  return (
    <aside className="drawer" role="dialog" aria-modal="true" aria-labelledby="card-title">
      <header>
        <h2 id="card-title">{t('card.title', { id: userId })}</h2>
        <button type="button" onClick={onClose}>
          {t('card.close')}
        </button>
      </header>
      <Feedback error={error} notice={notice} />
      {card && (
        <>
          <p>
            {card.user.username ? `@${card.user.username}` : card.user.firstName} · {card.user.telegramId} ·{' '}
            {card.user.blocked ? t('users.blocked') : t('users.ok')}
          </p>
          <h3>{t('card.subscriptions')}</h3>
          {card.subscriptions.length === 0 && <p>{t('card.none')}</p>}
          <ul>
            {card.subscriptions.map((s) => (
              <li key={s.id} data-testid="subscription">
                #{s.id} · {s.status}
                {s.isTrial ? ` · ${t('card.trial')}` : ''} · {t('card.until', { date: formatDate(language, s.endsAt) })}
              </li>
            ))}
          </ul>
          <form className="actions" onSubmit={extend}>
            <label>
              {t('card.days')}
              <input name="days" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} required />
            </label>
            <label>
              {t('card.reason')}
              <input name="reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            {can('customers:extend') && <button type="submit">{t('card.extend')}</button>}
            {can('customers:block') && (
              <button type="button" onClick={toggleBlock}>
                {card.user.blocked ? t('card.unblock') : t('card.block')}
              </button>
            )}
          </form>
          <h3>{t('card.payments')}</h3>
          {card.payments.length === 0 && <p>{t('card.none')}</p>}
          <ul>
            {card.payments.map((p) => (
              <li key={p.id}>
                {formatDate(language, p.createdAt)} · {formatMoney(language, p.amountMinor, p.currency)} · {p.provider} · {p.status}
              </li>
            ))}
          </ul>
          <h3>{t('card.audit')}</h3>
          {card.audit.length === 0 && <p>{t('card.none')}</p>}
          <ul>
            {card.audit.map((a) => (
              <li key={a.id}>
                {formatDate(language, a.createdAt)} · {a.action} · {a.actorKind} {a.actorId ?? ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
