import { useState } from 'react';
import { api, type Me, type Payment } from '../api.js';
import { Feedback } from '../Feedback.js';
import { describeError, formatDate, formatMoney, useT } from '../i18n.js';
import { usePaged } from '../paged.js';

const STATUSES = ['all', 'pending', 'succeeded', 'failed', 'cancelled', 'refunded'] as const;

/** Payments, newest first, by status; a paid one can be refunded after a confirmation. */
export function Payments({ me }: { me: Me }) {
  const { t, language } = useT();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('all');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = usePaged<Payment>('/api/payments', new URLSearchParams({ limit: '50', ...(status !== 'all' ? { status } : {}) }));

  const refund = async (p: Payment) => {
    if (!window.confirm(t('payments.confirmRefund', { amount: formatMoney(language, p.amountMinor, p.currency), id: p.id }))) return;
    setError(null);
    setNotice(null);
    try {
      // One id per confirmation: a repeated click or a retry is one refund.
      await api('POST', `/api/payments/${p.id}/refund`, { requestId: crypto.randomUUID() });
      setNotice(t('payments.refunded'));
      await list.reload();
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
      <Feedback error={error ?? list.error} notice={notice} />
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
          {list.items.map((p) => (
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
      {list.items.length === 0 && !list.error && <p>{t('payments.empty')}</p>}
      {list.next && (
        <button type="button" onClick={() => void list.loadMore()}>
          {t('payments.more')}
        </button>
      )}
    </section>
  );
}
