import { DEFAULT_RENEWAL_SETTINGS, sanitizeRenewalSettings, type RenewalSettings } from './renewal-policy.js';

/**
 * Billing knobs stored in the `settings` table (key → JSON), editable from the admin bot. The
 * first six keys are `@vpn/db`'s KnownSettings (seeded with the same defaults). A missing or
 * nonsensical value falls back to the default, so a typo never gives away a year.
 */
export const BILLING_SETTING_KEYS = {
  trialEnabled: 'trial.enabled',
  trialDays: 'trial.days',
  trialTrafficBytes: 'trial.trafficLimitBytes',
  referrerBonusDays: 'referral.referrerDays',
  refereeBonusDays: 'referral.refereeDays',
  renewalRetryHours: 'autoRenew.retryHours',
  renewalMaxFailures: 'autoRenew.maxFailures',
  renewalLeadHours: 'autoRenew.leadHours',
  renewalGraceHours: 'autoRenew.graceHours',
  minChargeMinor: 'billing.minChargeMinor',
  promoHoldMinutes: 'promo.holdMinutes',
  recurringEnabled: 'payments.recurringEnabled',
  saveCardDefault: 'autoRenew.saveCardDefault',
  referralMode: 'referral.mode',
  referralCommissionPercent: 'referral.commissionPercent',
  referralMinFirstPaymentMinor: 'referral.minFirstPaymentMinor',
  referralMinFirstPaymentStars: 'referral.minFirstPaymentStars',
  balanceCurrency: 'balance.currency',
  topUpPresets: 'balance.topUpPresetsMinor',
  topUpMin: 'balance.topUpMinMinor',
  topUpMax: 'balance.topUpMaxMinor',
} as const;

/** How customers top their balance up. */
export interface BalanceSettings {
  currency: string;
  /** Offered as buttons; always within [minMinor, maxMinor], ascending. */
  presetsMinor: number[];
  minMinor: number;
  maxMinor: number;
}

export interface BillingSettings {
  /** The free trial is offered at all. */
  trialEnabled: boolean;
  trialDays: number;
  /** Traffic limit of a trial in bytes; null = unlimited. */
  trialTrafficBytes: number | null;
  referrerBonusDays: number;
  refereeBonusDays: number;
  renewal: RenewalSettings;
  minChargeMinor: number;
  /**
   * How long a checkout holds a use of a limited promo code while its payment is pending: about
   * as long as the providers keep a payment payable (YooKassa ≈ 1 h, Crypto Pay and WATA links 1 h
   * by default). A hold also ends when the payment fails or is cancelled.
   */
  promoHoldMinutes: number;
  /**
   * The shop has recurring payments (YooKassa enables them per shop on request). Without them a
   * card is never saved and auto-renew by card is not offered.
   */
  recurringEnabled: boolean;
  /** How the checkout's "save the card for automatic renewal" button starts (the customer may untick it). */
  saveCardDefault: boolean;
  balance: BalanceSettings;
  /** What a referrer earns: bonus days (the first payment), a commission on every payment onto their balance, or both. */
  referralMode: 'days' | 'commission' | 'both';
  /** 0..100: the commission's percent of each payment of the friend (what reached us through a provider). */
  referralCommissionPercent: number;
  /**
   * The smallest first payment that earns the referral bonus days, in minor units of the plans'
   * currency and in Telegram Stars; null: the cheapest active plan's price in that currency
   * (resolved at settlement, see `referralMinimumFor`).
   */
  referralMinFirstPayment: { minor: number | null; stars: number | null };
}

export const GIB = 1024 ** 3;

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  trialEnabled: true,
  trialDays: 3,
  trialTrafficBytes: 10 * GIB,
  referrerBonusDays: 7,
  refereeBonusDays: 3,
  renewal: DEFAULT_RENEWAL_SETTINGS,
  minChargeMinor: 1,
  promoHoldMinutes: 60,
  recurringEnabled: true,
  saveCardDefault: true,
  referralMode: 'days',
  referralCommissionPercent: 10,
  referralMinFirstPayment: { minor: null, stars: null },
  balance: { currency: 'RUB', presetsMinor: [20_000, 50_000, 100_000, 300_000], minMinor: 10_000, maxMinor: 10_000_000 },
};

/** Builds the settings from raw `settings` rows (key → parsed JSON value). */
export function resolveBillingSettings(raw: Readonly<Record<string, unknown>>): BillingSettings {
  const d = DEFAULT_BILLING_SETTINGS;
  const k = BILLING_SETTING_KEYS;
  const int = (key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = raw[key];
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max ? n : fallback;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = raw[key];
    return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fallback;
  };
  const orPlan = (key: string): number | null => {
    const n = int(key, -1, 0);
    return n < 0 ? null : n;
  };
  const traffic = raw[k.trialTrafficBytes];
  const topUpMin = int(k.topUpMin, d.balance.minMinor, 1);
  const topUpMax = Math.max(topUpMin, int(k.topUpMax, d.balance.maxMinor, 1));
  const currency = raw[k.balanceCurrency];
  const presets = Array.isArray(raw[k.topUpPresets]) ? (raw[k.topUpPresets] as unknown[]) : d.balance.presetsMinor;
  return {
    trialEnabled: bool(k.trialEnabled, d.trialEnabled),
    trialDays: int(k.trialDays, d.trialDays, 1, 365),
    trialTrafficBytes: traffic === null ? null : int(k.trialTrafficBytes, d.trialTrafficBytes as number, 1),
    referrerBonusDays: int(k.referrerBonusDays, d.referrerBonusDays, 0, 365),
    refereeBonusDays: int(k.refereeBonusDays, d.refereeBonusDays, 0, 365),
    renewal: sanitizeRenewalSettings({
      retryAfterHours: int(k.renewalRetryHours, d.renewal.retryAfterHours, 1),
      maxFailures: int(k.renewalMaxFailures, d.renewal.maxFailures, 1),
      leadHours: int(k.renewalLeadHours, d.renewal.leadHours, 0),
      graceHours: int(k.renewalGraceHours, d.renewal.graceHours, 0),
    }),
    minChargeMinor: int(k.minChargeMinor, d.minChargeMinor, 0),
    promoHoldMinutes: int(k.promoHoldMinutes, d.promoHoldMinutes, 1, 7 * 24 * 60),
    recurringEnabled: bool(k.recurringEnabled, d.recurringEnabled),
    saveCardDefault: bool(k.saveCardDefault, d.saveCardDefault),
    referralMode: ['days', 'commission', 'both'].includes(raw[k.referralMode] as string)
      ? (raw[k.referralMode] as BillingSettings['referralMode'])
      : d.referralMode,
    referralCommissionPercent: int(k.referralCommissionPercent, d.referralCommissionPercent, 0, 100),
    // Unset (or nonsense): the cheapest plan decides, never "no minimum".
    referralMinFirstPayment: { minor: orPlan(k.referralMinFirstPaymentMinor), stars: orPlan(k.referralMinFirstPaymentStars) },
    balance: {
      currency: typeof currency === 'string' && /^[A-Z]{3,5}$/.test(currency) ? currency : d.balance.currency,
      presetsMinor: [
        ...new Set(presets.filter((v): v is number => Number.isSafeInteger(v) && (v as number) >= topUpMin && (v as number) <= topUpMax)),
      ]
        .sort((a, b) => a - b)
        .slice(0, 8),
      minMinor: topUpMin,
      maxMinor: topUpMax,
    },
  };
}
