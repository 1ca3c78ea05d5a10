import { useCallback, useEffect, useState } from 'react';
import { api, type Me, type Page, type Payment } from '../api.js';
import { describeError, formatDate, formatMoney, useT } from '../i18n.js';

const STATUSES = ['all', 'pending', 'succeeded', 'failed', 'cancelled', 'refunded'] as const;

/** Payments, newest first, by status; a paid one can be refunded after a confirmation. */
export function Payments({ me }: { me: Me }) {
  const { t, language } = useT();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('all');
  const [items, setItems] = useState<Payment[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(
    async (before: string | null) => {
      const params = new URLSearchParams({ limit: '50' });
      if (status !== 'all') params.set('status', status);
      if (before) params.set('before', before);
      try {
        const page = await api<Page<Payment>>('GET', `/api/payments?${params}`);
        setItems((prev) => (before ? [...prev, ...page.items] : page.items));
        setNext(page.next);
      } catch (e) {
        setError(describeError(t, e));
      }
    },
    [status, t],
  );
  useEffect(() => void load(null), [load]);

  const refund = async (p: Payment) => {
    if (!window.confirm(t('payments.confirmRefund', { amount: formatMoney(language, p.amountMinor, p.currency), id: p.id }))) return;
    setError(null);
    setNotice(null);
    try {
      // One id per confirmation: a repeated click or a retry is one refund.
      await api('POST', `/api/payments/${p.id}/refund`, { requestId: crypto.randomUUID() });
      setNotice(t('payments.refunded'));
      await load(null);
    } catch (e) {
      setError(describeError(t, e));
    }
  };

  return (
    <section>
      <div className="filters">
        <label>
          {t('payments.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`payments.statuses.${s}`)}
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
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('payments.date')}</th>
            <th scope="col">{t('payments.customer')}</th>
            <th scope="col">{t('payments.amount')}</th>
            <th scope="col">{t('payments.provider')}</th>
            <th scope="col">{t('payments.status')}</th>
            <th scope="col">
              <span className="sr-only">{t('payments.refund')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id} data-payment={p.id}>
              <td data-label={t('payments.date')}>{formatDate(language, p.createdAt)}</td>
              <td data-label={t('payments.customer')}>{p.userId}</td>
              <td data-label={t('payments.amount')}>{formatMoney(language, p.amountMinor, p.currency)}</td>
              <td data-label={t('payments.provider')}>{p.provider}</td>
              <td data-label={t('payments.status')}>{t(`payments.statuses.${p.status}`)}</td>
              <td>
                {p.status === 'succeeded' && me.permissions.includes('payments:refund') && (
                  <button type="button" onClick={() => void refund(p)}>
                    {t('payments.refund')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error && <p>{t('payments.empty')}</p>}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t('payments.more')}
        </button>
      )}
    </section>
  );
}
