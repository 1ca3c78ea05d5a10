/**
 * The outbox rows billing writes, in the same transaction as the change that needs them. The
 * worker's dispatcher turns them into Bull jobs; the payloads are exactly the `@vpn/queues`
 * job payloads (`provisioning`, `notifications`), so they pass through unchanged.
 *
 * - kind `provision`, payload {@link ProvisionPayload}: make the panel match subscription
 *   `subscriptionId` at `version` (or later). Dedupe key `provision:sub:<id>:v<version>`: one row
 *   per subscription version, so a retried settlement never asks twice for the same state.
 * - kind `notify`, payload {@link NotifyPayload}: tell a customer something, as the client bot,
 *   with i18n key `notifications.<kind>` and `params` as interpolation values. Dedupe key
 *   `notify:<userId>:<kind>:<reference>` (the notifications job id), so a customer is told once.
 */
export const OUTBOX_KIND = { provision: 'provision', notify: 'notify' } as const;
export type OutboxKind = (typeof OUTBOX_KIND)[keyof typeof OUTBOX_KIND];

/** Why the panel must change; for logs, and to send the config when access first works. */
export type ProvisionReason =
  | 'trial'
  | 'purchase'
  | 'renewal'
  | 'referral_bonus'
  | 'grant'
  | 'refund'
  | 'expire'
  | 'suspend'
  | 'resume'
  | 'cancel'
  /** Staff took days off (back office). */
  | 'shorten'
  /** Staff moved the subscription to another server: the customer needs the new link. */
  | 'move';

export interface ProvisionPayload {
  subscriptionId: number;
  version: number;
  reason: ProvisionReason;
}

/** Notification kinds billing writes, with the params each carries (dates are ISO strings). */
export interface NotifyParamsByKind {
  trial_activated: { subscriptionId: number; days: number; endsAt: string; trafficLimitBytes: number | null };
  payment_succeeded: { paymentId: string; amountMinor: number; currency: string; days: number; endsAt: string; keyKept: boolean };
  /** reason: a short code (`declined`, `amount_mismatch`, `currency_mismatch`, provider text). */
  payment_failed: { paymentId: string; reason: string };
  /** endsAt: the new end, or null when the refund ended access. */
  payment_refunded: { paymentId: string; amountMinor: number; currency: string; endsAt: string | null };
  /** The promo code could not be applied at settlement: the payment bought `days` of the plan's `planDays` at the list price. */
  promo_lost: { paymentId: string; reason: 'expired' | 'used_up'; days: number; planDays: number };
  /** A second charge for an already charged payment (Telegram Stars) was refunded automatically. */
  duplicate_charge_refunded: { paymentId: string; amountMinor: number; currency: string };
  /** To the referrer. */
  referral_bonus: { days: number; endsAt: string };
  /** To the referee, on top of their purchase. */
  referral_welcome_bonus: { days: number };
  /** To the referrer: the friend's first payment was refunded, the bonus days were taken back (never before now). */
  referral_bonus_revoked: { days: number };
  /** To the referee: their refunded payment's invitation bonus went with it. */
  referral_welcome_bonus_revoked: { days: number };
  renewal_charging: { paymentId: string; amountMinor: number; currency: string; attempt: number };
  renewal_succeeded: { paymentId: string; amountMinor: number; currency: string; days: number; endsAt: string; keyKept: boolean };
  renewal_failed_retry: { paymentId: string; attempt: number; nextAttemptAt: string; reason: string };
  renewal_disabled: { paymentId: string | null; attempt: number; reason: string };
  /** A top-up reached the balance (`balanceMinor`: the balance after it). */
  balance_topped_up: { paymentId: string; amountMinor: number; currency: string; balanceMinor: number };
  /**
   * A plan paid partly from the balance, whose balance part was spent meanwhile: what the provider
   * took went onto the balance instead, nothing was bought.
   */
  balance_short: { paymentId: string; amountMinor: number; currency: string; balanceMinor: number };
  /** To the referrer: their commission on a friend's payment reached their balance. */
  referral_commission: { paymentId: string; amountMinor: number; currency: string; balanceMinor: number };
}
export type NotifyKind = keyof NotifyParamsByKind;

export interface NotifyPayload<K extends NotifyKind = NotifyKind> {
  userId: number;
  kind: K;
  /** What the notice is about (a payment id, `sub:<id>`, `referee:<id>`): unique per user and kind. */
  reference: string;
  params: NotifyParamsByKind[K];
}

export const dedupeKey = {
  provision: (subscriptionId: number, version: number) => `provision:sub:${subscriptionId}:v${version}`,
  notify: (userId: number, kind: NotifyKind, reference: string) => `notify:${userId}:${kind}:${reference}`,
};
