import { randomBytes } from 'node:crypto';
import type { StarsBotApi } from '../../providers/stars/stars.adapter.js';
import type { PreCheckoutQueryLike, StarTransactionLike } from '../../providers/stars/stars.schema.js';

/** A Telegram Message with `successful_payment`, shaped like the Bot API's (telegram-stars.md §4, §7). */
export interface SuccessfulPaymentFixture {
  /** Our payment id (the invoice payload). */
  payload: string;
  /** Whole stars. */
  amount: number;
  userId: number;
  chargeId?: string;
  /** Unix seconds; now by default. */
  date?: number;
  currency?: string;
}

let messageId = 1000;

/** A fresh charge id in Telegram's style (`stx…`). */
export function newChargeId(): string {
  return `stx${randomBytes(24).toString('base64url')}`;
}

interface PaymentFields {
  currency: string;
  total_amount: number;
  invoice_payload: string;
  telegram_payment_charge_id: string;
  provider_payment_charge_id?: string;
}

/** The common part of a private-chat Message from the customer. */
export interface CustomerMessage {
  message_id: number;
  from: { id: number; is_bot: false; first_name: string; language_code: string };
  chat: { id: number; type: 'private'; first_name: string };
  date: number;
}

export interface SuccessfulPaymentMessage extends CustomerMessage {
  successful_payment: PaymentFields;
}

export interface RefundedPaymentMessage extends CustomerMessage {
  refunded_payment: PaymentFields;
}

function message(userId: number, date: number | undefined): CustomerMessage {
  return {
    message_id: messageId++,
    from: { id: userId, is_bot: false, first_name: 'Test', language_code: 'ru' },
    chat: { id: userId, type: 'private', first_name: 'Test' },
    date: date ?? Math.floor(Date.now() / 1000),
  };
}

function fields(f: SuccessfulPaymentFixture, chargeId: string): PaymentFields {
  return { currency: f.currency ?? 'XTR', total_amount: f.amount, invoice_payload: f.payload, telegram_payment_charge_id: chargeId };
}

/** The message Telegram sends after a Stars payment (what the client bot forwards). */
export function buildSuccessfulPaymentMessage(f: SuccessfulPaymentFixture): SuccessfulPaymentMessage {
  const base = message(f.userId, f.date);
  return {
    ...base,
    successful_payment: { ...fields(f, f.chargeId ?? newChargeId()), provider_payment_charge_id: `${f.userId}_${base.message_id}` },
  };
}

/** The service message Telegram sends after a refund. */
export function buildRefundedPaymentMessage(f: SuccessfulPaymentFixture & { chargeId: string }): RefundedPaymentMessage {
  return { ...message(f.userId, f.date), refunded_payment: fields(f, f.chargeId) };
}

/** A `pre_checkout_query` as Telegram sends it when the customer taps Pay. */
export function buildPreCheckoutQuery(f: {
  payload: string;
  amount: number;
  userId: number;
  currency?: string;
}): PreCheckoutQueryLike & { id: string } {
  return {
    id: randomBytes(8).toString('hex'),
    from: { id: f.userId },
    currency: f.currency ?? 'XTR',
    total_amount: f.amount,
    invoice_payload: f.payload,
  };
}

/** An error shaped like grammY's GrammyError (`error_code`, `description`). */
export class BotApiErrorLike extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
  ) {
    super(`Call failed! (${error_code}: ${description})`);
  }
}

export interface StarsBotApiEmulator extends StarsBotApi {
  getStarTransactions(other?: { offset?: number; limit?: number }): Promise<{ transactions: StarTransactionLike[] }>;
  /** Registers the charge of a successful_payment message, as Telegram would have. */
  recordPayment(message: SuccessfulPaymentMessage): void;
  /** Refunds made, in order. */
  readonly refunds: ReadonlyArray<{ userId: number; chargeId: string }>;
  /** The next call fails with this Bot API error (e.g. 429, 500). */
  failNext(error: BotApiErrorLike): void;
}

/**
 * The Stars part of the Bot API in memory: `refundStarPayment` with Telegram's rules (once per
 * charge, only for the user who paid) and `getStarTransactions` in chronological order, with a
 * refund carrying the id of the payment it returns.
 */
export function createStarsBotApiEmulator(): StarsBotApiEmulator {
  const transactions: StarTransactionLike[] = [];
  const payers = new Map<string, number>();
  const refunds: Array<{ userId: number; chargeId: string }> = [];
  let failure: BotApiErrorLike | undefined;
  const takeFailure = () => {
    const f = failure;
    failure = undefined;
    if (f) throw f;
  };
  return {
    refunds,
    failNext(error) {
      failure = error;
    },
    recordPayment(msg) {
      const p = msg.successful_payment;
      const userId = msg.from.id;
      payers.set(p.telegram_payment_charge_id, userId);
      transactions.push({
        id: p.telegram_payment_charge_id,
        amount: p.total_amount,
        date: msg.date,
        source: { type: 'user', transaction_type: 'invoice_payment', user: { id: userId }, invoice_payload: p.invoice_payload },
      });
    },
    async refundStarPayment(userId, chargeId) {
      takeFailure();
      const payer = payers.get(chargeId);
      if (payer === undefined) throw new BotApiErrorLike(400, 'Bad Request: CHARGE_NOT_FOUND');
      if (payer !== userId) throw new BotApiErrorLike(400, 'Bad Request: USER_ID_INVALID');
      if (refunds.some((r) => r.chargeId === chargeId)) throw new BotApiErrorLike(400, 'Bad Request: CHARGE_ALREADY_REFUNDED');
      refunds.push({ userId, chargeId });
      const paid = transactions.find((t) => t.id === chargeId)!;
      transactions.push({
        id: chargeId,
        amount: paid.amount,
        date: Math.floor(Date.now() / 1000),
        receiver: { type: 'user', user: { id: userId } },
      });
      return true;
    },
    async getStarTransactions(other = {}) {
      takeFailure();
      const offset = other.offset ?? 0;
      return { transactions: transactions.slice(offset, offset + (other.limit ?? 100)) };
    },
  };
}
