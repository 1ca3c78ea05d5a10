import type { AuditEntry } from '../api.js';
import { Feedback } from '../Feedback.js';
import { formatDate, useT } from '../i18n.js';
import { usePaged } from '../paged.js';

/** The audit log, newest first. */
export function Audit() {
  const { t, language } = useT();
  const list = usePaged<AuditEntry>('/api/audit', new URLSearchParams({ limit: '50' }));

  return (
    <section>
      <Feedback error={list.error} />
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
          {list.items.map((a) => (
            <tr key={a.id}>
              <td data-label={t('audit.when')}>{formatDate(language, a.createdAt)}</td>
              <td data-label={t('audit.who')}>{a.actorKind === 'system' ? t('audit.system') : `${a.actorKind} ${a.actorId ?? ''}`}</td>
              <td data-label={t('audit.action')}>{a.action}</td>
              <td data-label={t('audit.target')}>{a.entity ? `${a.entity} ${a.entityId ?? ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.items.length === 0 && !list.error && <p>{t('audit.empty')}</p>}
      {list.next && (
        <button type="button" onClick={() => void list.loadMore()}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
