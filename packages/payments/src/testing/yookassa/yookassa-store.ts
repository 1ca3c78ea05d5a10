import { randomUUID } from 'node:crypto';
import { decimalToMinor, minorToDecimal } from '../../money.js';
import type { Amount } from './yookassa-validation.js';

/** A payment as the emulator keeps it: the Payment object of yookassa.md §5. */
export interface EmuPayment {
  id: string;
  status: 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
  paid: boolean;
  amount: Amount;
  income_amount?: Amount;
  description?: string;
  recipient: { account_id: string; gateway_id: string };
  created_at: string;
  captured_at?: string;
  expires_at?: string;
  confirmation?: { type: 'redirect'; return_url: string; confirmation_url: string };
  payment_method?: { type: string; id: string; saved: boolean; title: string; card?: Record<string, string> };
  refunded_amount?: Amount;
  metadata?: Record<string, string>;
  cancellation_details?: { party: string; reason: string };
  test: boolean;
  refundable: boolean;
}

export interface EmuRefund {
  id: string;
  payment_id: string;
  status: 'pending' | 'succeeded' | 'canceled';
  amount: Amount;
  created_at: string;
  description?: string;
}

/** `cancellation_details.reason` values (yookassa.md §5.1). */
export type YooCancellationReason =
  | '3d_secure_failed'
  | 'call_issuer'
  | 'card_expired'
  | 'payment_method_limit_exceeded'
  | 'payment_method_restricted'
  | 'country_forbidden'
  | 'general_decline'
  | 'fraud_suspected'
  | 'identification_required'
  | 'insufficient_funds'
  | 'invalid_card_number'
  | 'invalid_csc'
  | 'issuer_unavailable'
  | 'canceled_by_merchant'
  | 'permission_revoked'
  | 'internal_timeout'
  | 'expired_on_confirmation'
  | 'expired_on_capture'
  | 'unsupported_mobile_operator'
  | 'deal_expired';

/** What the next charges of a saved method do: succeed, or be declined with a cancellation reason. */
export type SavedMethodOutcome = 'succeed' | YooCancellationReason;

/** A saved card the shop can charge without the customer. */
export interface SavedMethod {
  id: string;
  outcome: SavedMethodOutcome;
}

export type YooEventName = 'payment.waiting_for_capture' | 'payment.succeeded' | 'payment.canceled' | 'refund.succeeded';

/** Payments, refunds and saved methods with the status machine of yookassa.md §5.1. */
export class YooKassaStore {
  readonly payments = new Map<string, EmuPayment>();
  readonly refunds = new Map<string, EmuRefund>();
  readonly savedMethods = new Map<string, SavedMethod>();
  private readonly capture = new Map<string, boolean>();
  private readonly save = new Map<string, boolean>();

  constructor(
    private readonly shopId: string,
    private readonly emit: (event: YooEventName, object: EmuPayment | EmuRefund) => void,
  ) {}

  create(
    fields: Pick<EmuPayment, 'amount' | 'description' | 'metadata'>,
    options: { capture: boolean; save: boolean; confirmation?: EmuPayment['confirmation'] },
  ): EmuPayment {
    const payment: EmuPayment = {
      id: randomUUID(),
      status: 'pending',
      paid: false,
      amount: fields.amount,
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      recipient: { account_id: this.shopId, gateway_id: '100700' },
      created_at: new Date().toISOString(),
      ...(options.confirmation ? { confirmation: options.confirmation } : {}),
      ...(fields.metadata ? { metadata: fields.metadata } : {}),
      test: true,
      refundable: false,
    };
    this.payments.set(payment.id, payment);
    this.capture.set(payment.id, options.capture);
    this.save.set(payment.id, options.save);
    return payment;
  }

  /** The customer pays: pending → succeeded (one-stage) or waiting_for_capture (two-stage). */
  pay(id: string, method: SavedMethod | undefined = undefined): EmuPayment {
    const payment = this.pending(id);
    const saved = method !== undefined || this.save.get(id) === true;
    const methodId = method?.id ?? randomUUID();
    payment.payment_method = {
      type: 'bank_card',
      id: methodId,
      saved,
      title: 'Bank card *4444',
      card: { first6: '555555', last4: '4444', expiry_month: '12', expiry_year: '2030', card_type: 'MasterCard' },
    };
    if (saved && !method) this.savedMethods.set(methodId, { id: methodId, outcome: 'succeed' });
    payment.paid = true;
    delete payment.confirmation;
    if (this.capture.get(id) === false) {
      payment.status = 'waiting_for_capture';
      payment.expires_at = new Date(Date.now() + 7 * 86_400_000).toISOString();
      this.emit('payment.waiting_for_capture', payment);
    } else this.succeed(payment);
    return payment;
  }

  /** Merchant capture of a two-stage payment. */
  captureNow(payment: EmuPayment): void {
    delete payment.expires_at;
    this.succeed(payment);
  }

  /** The payment is declined or expires: → canceled with the given reason. */
  cancel(
    id: string,
    reason: YooCancellationReason,
    party = reason === 'expired_on_confirmation' ? 'yoo_money' : 'payment_network',
  ): EmuPayment {
    const payment = this.payments.get(id);
    if (!payment || (payment.status !== 'pending' && payment.status !== 'waiting_for_capture'))
      throw new Error(`payment ${id} cannot be cancelled`);
    payment.status = 'canceled';
    payment.paid = false;
    payment.cancellation_details = { party, reason };
    delete payment.confirmation;
    delete payment.expires_at;
    this.emit('payment.canceled', payment);
    return payment;
  }

  refund(payment: EmuPayment, amount: Amount, description: string | undefined): EmuRefund {
    const refund: EmuRefund = {
      id: randomUUID(),
      payment_id: payment.id,
      status: 'succeeded',
      amount,
      created_at: new Date().toISOString(),
      ...(description ? { description } : {}),
    };
    const refunded = this.refundedMinor(payment) + decimalToMinor(amount.value, 2);
    payment.refunded_amount = { value: minorToDecimal(refunded, 2), currency: payment.amount.currency };
    payment.refundable = refunded < decimalToMinor(payment.amount.value, 2);
    this.refunds.set(refund.id, refund);
    this.emit('refund.succeeded', refund);
    return refund;
  }

  refundedMinor(payment: EmuPayment): number {
    return payment.refunded_amount ? decimalToMinor(payment.refunded_amount.value, 2) : 0;
  }

  private pending(id: string): EmuPayment {
    const payment = this.payments.get(id);
    if (!payment) throw new Error(`no payment ${id}`);
    if (payment.status !== 'pending') throw new Error(`payment ${id} is ${payment.status}, not pending`);
    return payment;
  }

  private succeed(payment: EmuPayment): void {
    payment.status = 'succeeded';
    payment.captured_at = new Date().toISOString();
    payment.refundable = true;
    // A 3.5 % fee, rounded down to the kopeck, so income_amount differs from amount as in production.
    const minor = decimalToMinor(payment.amount.value, 2);
    payment.income_amount = { value: minorToDecimal(minor - Math.floor((minor * 35) / 1000), 2), currency: payment.amount.currency };
    this.emit('payment.succeeded', payment);
  }
}
