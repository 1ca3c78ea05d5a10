import { useCallback, useEffect, useState } from 'react';
import { api, type AuditEntry, type Page } from '../api.js';
import { describeError, formatDate, useT } from '../i18n.js';

/** The audit log, newest first. */
export function Audit() {
  const { t, language } = useT();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before: string | null) => {
      try {
        const page = await api<Page<AuditEntry>>('GET', `/api/audit?limit=50${before ? `&before=${before}` : ''}`);
        setItems((prev) => (before ? [...prev, ...page.items] : page.items));
        setNext(page.next);
      } catch (e) {
        setError(describeError(t, e));
      }
    },
    [t],
  );
  useEffect(() => void load(null), [load]);

  return (
    <section>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.target')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td data-label={t('audit.when')}>{formatDate(language, a.createdAt)}</td>
              <td data-label={t('audit.who')}>{a.actorKind === 'system' ? t('audit.system') : `${a.actorKind} ${a.actorId ?? ''}`}</td>
              <td data-label={t('audit.action')}>{a.action}</td>
              <td data-label={t('audit.target')}>{a.entity ? `${a.entity} ${a.entityId ?? ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error && <p>{t('audit.empty')}</p>}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
