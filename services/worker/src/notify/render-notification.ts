import { currencyExponent } from '@vpn/payments';
import { formatMoney, type I18n, type Language, type TranslationVars } from '@vpn/i18n';
import { NOTIFICATION_KINDS, type NotificationKind } from '@vpn/queues';

type Params = Record<string, string | number | boolean | null>;

/** `549 ₽` / `₽549`, `250 ⭐`: amounts are integers in minor units until this point (`@vpn/i18n` formatMoney). */
export function formatAmount(amountMinor: number, currency: string, lang: Language): string {
  let exponent = 2;
  try {
    exponent = currency === 'XTR' ? 0 : currencyExponent(currency);
  } catch {
    // An unusual currency still reads sensibly with two decimals.
  }
  return formatMoney(amountMinor, currency, lang, exponent);
}

// Building an Intl formatter costs far more than using one: one per language for the process.
const dateFormats = new Map<Language, Intl.DateTimeFormat>();

/** A date the way the customer reads it, in Moscow time (the service's home market). */
export function formatDate(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Moscow' });
    dateFormats.set(lang, format);
  }
  const text = format.format(date);
  // "1 марта 2030 г." would end a sentence with "г..": the year needs no suffix in running text.
  return text.replace(/\s?г\.$/, '');
}

export function isNotificationKind(kind: string): kind is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

/**
 * The text of one notification in the customer's language: `notifications.<kind>` with the
 * job's params plus what the texts need derived from them (`amount` from amountMinor + currency,
 * dates formatted, `daysText` as a pluralised "5 days"). Values are HTML-escaped by i18n.
 */
export function renderNotification(i18n: I18n, lang: Language, kind: NotificationKind, params: Params): string {
  const vars: TranslationVars = { ...params };
  if (typeof params.amountMinor === 'number' && typeof params.currency === 'string')
    vars.amount = formatAmount(params.amountMinor, params.currency, lang);
  if (typeof params.balanceMinor === 'number' && typeof params.currency === 'string')
    vars.balance = formatAmount(params.balanceMinor, params.currency, lang);
  for (const key of ['endsAt', 'nextAttemptAt'] as const) {
    const value = params[key];
    if (typeof value === 'string') vars[key] = formatDate(value, lang);
  }
  if (typeof params.days === 'number') vars.daysText = i18n.t(lang, 'common.units.days', { count: params.days });
  // WireGuard customers get a file, not a link: the config kinds have a text of their own for them.
  if (params.wireguard === true && (kind === 'subscription_ready' || kind === 'key_reissued'))
    return i18n.t(lang, `notifications.${kind}_wireguard`, vars);
  // A renewal's receipt says the key keeps working: no new link follows it (one config per subscription).
  if (kind === 'payment_succeeded' && params.keyKept === true) return i18n.t(lang, 'notifications.payment_succeeded_key_kept', vars);
  if (kind === 'server_restored' && typeof params.days === 'number') return i18n.t(lang, 'notifications.server_restored_compensated', vars);
  if (kind === 'promo_lost' && params.reason === 'expired') return i18n.t(lang, 'notifications.promo_lost_expired', vars);
  return i18n.t(lang, `notifications.${kind}`, vars);
}
