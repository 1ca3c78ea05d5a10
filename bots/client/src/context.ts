import type { MenuFlavor } from '@grammyjs/menu';
import type { PlanOffer } from '@vpn/billing';
import type { User } from '@vpn/db';
import type { Language } from '@vpn/i18n';
import type { BotContext } from '@vpn/telegram-kit';

/** The platforms a setup guide exists for. */
export const PLATFORMS = ['ios', 'android', 'windows', 'macos', 'linux'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A purchase being put together: the plan, an optional promo code, and the key of this checkout. */
export interface Checkout {
  planId: number;
  promo?: string;
  /** Random per checkout: the same method pressed twice is one payment (the idempotency key). */
  nonce: string;
  /** The customer's answer to "save the card for automatic renewal"; absent → the preset (billing cardSave.offer). */
  saveCard?: boolean;
  /** Pay part of the price from the balance (absent → yes, when the balance covers only a part). */
  useBalance?: boolean;
  /** The plan's terms as shown when the checkout opened: paid on them even if an admin edits the plan meanwhile. */
  offer?: PlanOffer;
}

/** What the client bot keeps per chat in Redis (small: it is read and written on every update). */
export interface ClientSession {
  /** The language the customer chose in settings; absent → Telegram's `language_code`. */
  language?: Language;
  /** Text the bot waits for: a promo code, or messages for support. */
  step?: 'promo' | 'support' | 'topup';
  checkout?: Checkout;
  /** A top-up being paid: its amount and key (the same method pressed twice is one payment). */
  topUp?: { amountMinor: number; nonce: string };
  /** A promo code from a deep link, applied at the next checkout. */
  promo?: string;
  platform?: Platform;
  faq?: { category?: string; item?: number };
}

/** Set by the customer middleware on every update that has a sender. */
export interface CustomerFlavor {
  /** The customer's row (cached for a few seconds). */
  customer: User;
  /** True only on the update that registered the customer. */
  customerCreated: boolean;
}

/** The context of every client bot handler. */
export type ClientContext = BotContext<ClientSession> & MenuFlavor & CustomerFlavor;
