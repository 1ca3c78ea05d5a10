import type { PaymentProvider, VerifiedNotification } from '@vpn/payments';

/** Finds the adapter for a route's `:provider`; a Map or the payments registry both fit. */
export interface ProviderLookup {
  get(name: string): PaymentProvider | undefined;
}

/** What storing a verified notification came to. */
export type RecordResult =
  /** First time seen: a payment_events row was inserted; settle it. */
  | { outcome: 'recorded'; eventRowId: string }
  /** Seen before (provider retry, duplicate delivery): the same row; `settled` when settlement already ran. */
  | { outcome: 'duplicate'; eventRowId: string; settled: boolean }
  /** Genuine, but names no payment of ours. Nothing stored. */
  | { outcome: 'unknown_payment' };

/**
 * Stores a verified notification once (payment_events, unique per provider and event id) for the
 * payment it names. The same function serves every provider route; the client bot
 * reaches it for Telegram Stars through `POST /webhooks/stars`.
 */
export interface NotificationStore {
  record(notification: VerifiedNotification): Promise<RecordResult>;
}

/** Enqueues settlement of one stored event; idempotent (the job id is the event row id). */
export type EnqueueSettlement = (eventRowId: string) => Promise<void>;
