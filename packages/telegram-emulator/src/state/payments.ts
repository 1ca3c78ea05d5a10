import { randomBytes } from 'node:crypto';

export interface LabeledPrice {
  label: string;
  amount: number;
}

/** An invoice from `sendInvoice` (has a message) or `createInvoiceLink` (has a link). */
export interface InvoiceRecord {
  id: string;
  botId: number;
  title: string;
  description: string;
  payload: string;
  currency: string;
  prices: LabeledPrice[];
  totalAmount: number;
  subscriptionPeriod?: number;
  chatId?: number;
  messageId?: number;
  link?: string;
}

export interface PreCheckoutRecord {
  id: string;
  botId: number;
  userId: number;
  invoiceId: string;
  createdAt: number;
  answer?: { ok: boolean; errorMessage?: string };
  /** Called once the bot answers (or never, when it is too late). */
  onAnswer?: (answer: { ok: boolean; errorMessage?: string }) => void;
}

/** A completed Stars payment; its id is `telegram_payment_charge_id`. */
export interface ChargeRecord {
  chargeId: string;
  providerChargeId: string;
  botId: number;
  userId: number;
  invoiceId: string;
  amount: number;
  currency: string;
  payload: string;
  date: number;
  refunded: boolean;
  refundedAt?: number;
  subscriptionExpiresAt?: number;
  subscriptionCanceled?: boolean;
}

export class PaymentStore {
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly preCheckouts = new Map<string, PreCheckoutRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  /** Messages each bot sent on paid-broadcast tokens (0.1 Star each), by bot id. */
  readonly paidBroadcasts = new Map<number, number>();

  chargePaidBroadcast(botId: number): void {
    this.paidBroadcasts.set(botId, (this.paidBroadcasts.get(botId) ?? 0) + 1);
  }

  addInvoice(input: Omit<InvoiceRecord, 'id'>): InvoiceRecord {
    const invoice: InvoiceRecord = { ...input, id: randomBytes(12).toString('base64url') };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  invoiceByLink(link: string): InvoiceRecord | undefined {
    return [...this.invoices.values()].find((i) => i.link === link);
  }

  invoiceByMessage(botId: number, chatId: number, messageId: number): InvoiceRecord | undefined {
    return [...this.invoices.values()].find((i) => i.botId === botId && i.chatId === chatId && i.messageId === messageId);
  }

  addPreCheckout(input: Omit<PreCheckoutRecord, 'id' | 'createdAt'>): PreCheckoutRecord {
    const id = BigInt(`0x${randomBytes(8).toString('hex')}`).toString();
    const record: PreCheckoutRecord = { ...input, id, createdAt: Date.now() };
    this.preCheckouts.set(id, record);
    return record;
  }

  addCharge(input: Omit<ChargeRecord, 'chargeId' | 'providerChargeId' | 'refunded'>): ChargeRecord {
    const charge: ChargeRecord = {
      ...input,
      chargeId: `stx${randomBytes(24).toString('base64url')}`,
      providerChargeId: `${input.userId}_${this.charges.size + 1}`,
      refunded: false,
    };
    this.charges.set(charge.chargeId, charge);
    return charge;
  }

  clear(): void {
    this.invoices.clear();
    this.preCheckouts.clear();
    this.charges.clear();
    this.paidBroadcasts.clear();
  }
}
