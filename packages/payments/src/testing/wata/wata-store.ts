import { randomUUID } from 'node:crypto';
import { minorToDecimal } from '../../money.js';

/** A payment link (wata.md §4); amounts are kept in minor units and written as JSON numbers. */
export interface EmuLink {
  id: string;
  amountMinor: number;
  currency: string;
  status: 'Opened' | 'Closed';
  url: string;
  orderId?: string;
  description?: string;
  successRedirectUrl?: string;
  failRedirectUrl?: string;
  expirationDateTime: string;
  creationTime: string;
  type: 'OneTime' | 'ManyTime';
}

/** A transaction (wata.md §5). */
export interface EmuTransaction {
  id: string;
  kind: 'Payment' | 'Refund';
  type: 'CardCrypto' | 'SBP' | 'TPay' | 'SberPay';
  amountMinor: number;
  currency: string;
  status: 'Created' | 'Pending' | 'Paid' | 'Declined';
  errorCode: string | null;
  errorDescription: string | null;
  orderId?: string;
  orderDescription?: string;
  paymentLinkId?: string;
  originalTransactionId?: string;
  creationTime: string;
  paymentTime: string | null;
}

const TERMINAL = { terminalName: 'vpn', terminalPublicId: '0c5c1f9e-7d1b-4b8e-9a7e-3a7f2b0c4d11' };

/** Minor units as WATA's JSON number (major units, ≤ 2 decimals). */
export const asNumber = (minor: number): number => Number(minorToDecimal(minor, 2));

export function linkJson(link: EmuLink): Record<string, unknown> {
  const { amountMinor, ...rest } = link;
  return { ...rest, amount: asNumber(amountMinor), ...TERMINAL };
}

export function transactionJson(tx: EmuTransaction): Record<string, unknown> {
  const { amountMinor, ...rest } = tx;
  return { ...rest, amount: asNumber(amountMinor), totalCommission: asNumber(Math.floor(amountMinor / 50)), email: null, ...TERMINAL };
}

/** The post-payment / refund webhook body (wata.md §6). */
export function webhookJson(tx: EmuTransaction): Record<string, unknown> {
  return {
    transactionType: tx.type,
    kind: tx.kind,
    transactionId: tx.id,
    transactionStatus: tx.status,
    errorCode: tx.errorCode,
    errorDescription: tx.errorDescription,
    ...TERMINAL,
    amount: asNumber(tx.amountMinor),
    currency: tx.currency,
    orderId: tx.orderId ?? null,
    orderDescription: tx.orderDescription ?? null,
    paymentTime: tx.paymentTime,
    commission: asNumber(Math.floor(tx.amountMinor / 50)),
    email: null,
    paymentLinkId: tx.paymentLinkId ?? null,
    originalTransactionId: tx.originalTransactionId ?? null,
  };
}

/** Links and transactions, with what a payer and a refund do to them. */
export class WataStore {
  readonly links = new Map<string, EmuLink>();
  readonly transactions = new Map<string, EmuTransaction>();

  constructor(private readonly emit: (tx: EmuTransaction) => void) {}

  /** A link by id, or the newest link of an order id. */
  findLink(idOrOrderId: string): EmuLink | undefined {
    return this.links.get(idOrOrderId) ?? [...this.links.values()].reverse().find((l) => l.orderId === idOrOrderId);
  }

  /** The payer completes a link: a Paid payment transaction; a one-time link closes. */
  pay(link: EmuLink, type: EmuTransaction['type'] = 'CardCrypto'): EmuTransaction {
    if (link.status !== 'Opened') throw new Error(`link ${link.id} is closed`);
    if (link.type === 'OneTime') link.status = 'Closed';
    return this.record(link, 'Paid', type, null);
  }

  /** The bank declines an attempt; the link stays open for another try. */
  decline(link: EmuLink, errorCode: string): EmuTransaction {
    if (link.status !== 'Opened') throw new Error(`link ${link.id} is closed`);
    return this.record(link, 'Declined', 'CardCrypto', errorCode);
  }

  refund(original: EmuTransaction, amountMinor: number): EmuTransaction {
    const now = new Date().toISOString();
    const tx: EmuTransaction = {
      id: randomUUID(),
      kind: 'Refund',
      type: original.type,
      amountMinor,
      currency: original.currency,
      status: 'Paid',
      errorCode: null,
      errorDescription: null,
      ...(original.orderId ? { orderId: original.orderId } : {}),
      originalTransactionId: original.id,
      creationTime: now,
      paymentTime: now,
    };
    this.transactions.set(tx.id, tx);
    this.emit(tx);
    return tx;
  }

  refundedMinor(original: EmuTransaction): number {
    return [...this.transactions.values()]
      .filter((t) => t.originalTransactionId === original.id && t.status !== 'Declined')
      .reduce((s, t) => s + t.amountMinor, 0);
  }

  private record(link: EmuLink, status: 'Paid' | 'Declined', type: EmuTransaction['type'], errorCode: string | null): EmuTransaction {
    const now = new Date().toISOString();
    const tx: EmuTransaction = {
      id: randomUUID(),
      kind: 'Payment',
      type,
      amountMinor: link.amountMinor,
      currency: link.currency,
      status,
      errorCode,
      errorDescription: errorCode ? `Declined: ${errorCode}` : null,
      ...(link.orderId ? { orderId: link.orderId } : {}),
      ...(link.description ? { orderDescription: link.description } : {}),
      paymentLinkId: link.id,
      creationTime: now,
      paymentTime: now,
    };
    this.transactions.set(tx.id, tx);
    this.emit(tx);
    return tx;
  }
}
