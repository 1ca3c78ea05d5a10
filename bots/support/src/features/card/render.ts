import { amount, gibibytes, stamp, type CustomerOverview } from '@vpn/backoffice';
import { escapeHtml, type Language, type Translate } from '@vpn/i18n';
import { assertCallbackData } from '@vpn/telegram-kit';
import { InlineKeyboard } from 'grammy';

/** Callback data of the card and its actions: `sc:<verb>:<user id>[:<arg>[:<nonce>]]`, checked against 64 bytes. */
export function cardData(verb: string, userId: number, ...args: (string | number)[]): string {
  return assertCallbackData(['sc', verb, userId, ...args].join(':'));
}

const name = (o: CustomerOverview) =>
  escapeHtml([o.user.firstName, o.user.lastName].filter(Boolean).join(' ') || '—') +
  (o.user.username ? ` @${escapeHtml(o.user.username)}` : '');

/** The doctor's last run, as the client bot stored it with the ticket (`checkedAt`, `checks`). */
function doctorLine(t: Translate, o: CustomerOverview): string | null {
  const diagnosis = o.ticket?.diagnosis;
  if (!diagnosis) return null;
  const at = typeof diagnosis.checkedAt === 'string' ? stamp(new Date(diagnosis.checkedAt)) : '—';
  const checks = Array.isArray(diagnosis.checks) ? (diagnosis.checks as { id?: string; ok?: boolean }[]) : [];
  const failed = checks.filter((c) => c.ok === false).map((c) => escapeHtml(String(c.id ?? '?')));
  return t('support.card.doctor', { at, failed: failed.length > 0 ? failed.join(', ') : '✓' });
}

/**
 * The customer card pinned in a topic: who, plan, status and expiry, traffic, devices, server,
 * the last payments, trial, referrals, ticket and the doctor's last run. In the staff's (source)
 * language, HTML, well under Telegram's 4096 characters (five payments, short lines).
 */
export function renderCard(t: Translate, language: Language, o: CustomerOverview, now: Date): string {
  const { user, subscription: sub } = o;
  const lines: (string | null)[] = [
    `👤 <b>${name(o)}</b> · <code>${user.telegramId}</code> · ${escapeHtml(user.languageCode ?? '?')} · #${user.id}`,
    user.blocked ? t('support.card.blocked', { reason: user.blockedReason ?? '—' }) : null,
    user.botBlockedAt ? t('support.card.botBlocked', { date: stamp(user.botBlockedAt) }) : null,
    sub
      ? t('support.card.subscription', {
          plan: o.plan ? o.plan.title[language] : sub.isTrial ? t('support.card.trialPlan') : '—',
          status: sub.status,
          ends: stamp(sub.endsAt),
        })
      : t('support.card.noSubscription'),
    sub
      ? t('support.card.traffic', {
          used: o.usedBytes === null ? '—' : gibibytes(o.usedBytes),
          limit: sub.trafficLimitBytes ? gibibytes(sub.trafficLimitBytes) : '∞',
          devices: sub.deviceLimit ?? '∞',
        })
      : null,
    sub ? t('support.card.server', { server: o.server ? escapeHtml(o.server.name) : '—', state: o.account?.syncState ?? '—' }) : null,
    user.trialUsedAt ? t('support.card.trialUsed', { date: stamp(user.trialUsedAt) }) : t('support.card.trialFree'),
    t('support.card.referrals', {
      referrer: o.referrer ? `#${o.referrer.id}${o.referrer.username ? ` @${escapeHtml(o.referrer.username)}` : ''}` : '—',
      count: o.referrals,
    }),
    o.ticket
      ? t('support.card.ticket', { id: o.ticket.id, status: t(`support.states.${o.ticket.status}`) }) +
        (o.assignee ? ` · ${t('support.card.assignee', { name: o.assignee.name ?? `#${o.assignee.id}` })}` : '')
      : t('support.card.noTicket'),
    doctorLine(t, o),
    '',
    `<b>${t('support.card.payments')}</b>`,
    ...(o.payments.length > 0
      ? o.payments.map(
          (p) =>
            `<code>${p.id.slice(0, 8)}</code> ${p.status} ${amount(p.amountMinor, p.currency)} · ${p.provider} · ${stamp(p.createdAt)}`,
        )
      : ['—']),
    '',
    `<i>${t('support.card.updated', { at: stamp(now) })}</i>`,
  ];
  return lines.filter((l) => l !== null).join('\n');
}

/** The pinned card's buttons, the same for every reader: the actions menu (filtered by the presser's role) and a refresh. */
export function cardKeyboard(t: Translate, userId: number): InlineKeyboard {
  return new InlineKeyboard().text(t('support.card.actions'), cardData('m', userId)).text(t('support.card.refresh'), cardData('f', userId));
}
