/** Settings every part of the platform reads, with their types. */
export interface KnownSettings {
  /** The free trial is offered at all (false: no trial button, no mention of it, `/trial` refused). */
  'trial.enabled': boolean;
  /** Trial length in days. */
  'trial.days': number;
  /** Trial traffic cap in bytes. */
  'trial.trafficLimitBytes': number;
  /** Bonus days for the inviter when a friend first pays. */
  'referral.referrerDays': number;
  /** Bonus days for the invited friend on their first payment. */
  'referral.refereeDays': number;
  /** Expiry reminders are sent this many days before the end. */
  'reminders.daysBefore': number[];
  /** Wait between failed auto-renew attempts. */
  'autoRenew.retryHours': number;
  /** Auto-renew is switched off after this many failed attempts in a row. */
  'autoRenew.maxFailures': number;
  /** A server must be down this long before its customers are told (flapping stays quiet). */
  'outage.minMinutes': number;
  /** Days given to each customer of a server after an outage they were told of (0: none). */
  'outage.compensationDays': number;
  /** Broadcasts go with allow_paid_broadcast (up to 1000/s, 0.1 Star per message beyond ~30/s). */
  'broadcast.allowPaid': boolean;
  /** The shop has recurring payments (YooKassa enables them on request): cards may be saved for auto-renew. */
  'payments.recurringEnabled': boolean;
  /** The checkout's "save the card for automatic renewal" button starts ticked. */
  'autoRenew.saveCardDefault': boolean;
  /** What a referrer earns: bonus `days`, a `commission` on every payment of the friend, or `both`. */
  'referral.mode': 'days' | 'commission' | 'both';
  /** The commission in percent of each payment the friend makes (money in through a provider). */
  'referral.commissionPercent': number;
  /**
   * A friend's first payment earns the referral bonus days only from this amount up, in minor units
   * of the plans' currency (a 1-kopeck payment must not buy a week). null: the cheapest active
   * plan's price in the payment's currency.
   */
  'referral.minFirstPaymentMinor': number | null;
  /** The same for a first payment in Telegram Stars; null: the cheapest active plan's Stars price. */
  'referral.minFirstPaymentStars': number | null;
  /** The currency customer balances are kept and topped up in. */
  'balance.currency': string;
  /** The top-up amounts offered as buttons, in minor units of `balance.currency`. */
  'balance.topUpPresetsMinor': number[];
  /** The smallest and the largest top-up (a typed amount outside is refused), in minor units. */
  'balance.topUpMinMinor': number;
  'balance.topUpMaxMinor': number;
  /** A customer message unanswered this long is flagged in its support topic and in the SLA summary. */
  'support.slaMinutes': number;
  /** A staff message in a topic starting with this stays in the topic (a note, like `/note …`); empty: only `/note`. */
  'support.notePrefix': string;
}

const GIB = 1024 ** 3;

/** What `seed` writes and what `settings.getKnown` falls back to when a key is unset. */
export const DEFAULT_SETTINGS: Readonly<KnownSettings> = {
  'trial.enabled': true,
  'trial.days': 3,
  'trial.trafficLimitBytes': 10 * GIB,
  'referral.referrerDays': 7,
  'referral.refereeDays': 3,
  'reminders.daysBefore': [3, 2, 1],
  'autoRenew.retryHours': 24,
  'autoRenew.maxFailures': 2,
  'outage.minMinutes': 5,
  'outage.compensationDays': 0,
  'broadcast.allowPaid': false,
  'payments.recurringEnabled': true,
  'autoRenew.saveCardDefault': true,
  'referral.mode': 'days',
  'referral.commissionPercent': 10,
  'referral.minFirstPaymentMinor': null,
  'referral.minFirstPaymentStars': null,
  'balance.currency': 'RUB',
  'balance.topUpPresetsMinor': [20_000, 50_000, 100_000, 300_000],
  'balance.topUpMinMinor': 10_000,
  'balance.topUpMaxMinor': 10_000_000,
  'support.slaMinutes': 30,
  'support.notePrefix': '//',
};
