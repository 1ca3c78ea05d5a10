import { unixNow } from '../api/context.js';
import type { TgMessage } from '../types.js';
import type { ChargeRecord } from './payments.js';
import { deliverToBots, storeMessage } from './post.js';
import type { World } from './world.js';

/**
 * Posts a payment service message (`successful_payment`, `refunded_payment`) into the user's
 * private chat with the bot, as sent by the user, and queues it for the bot.
 */
export function postPaymentMessage(world: World, charge: ChargeRecord, content: Partial<TgMessage>): { messageId: number; seq: number } {
  const user = world.chats.users.get(charge.userId);
  if (!user) throw new Error(`user ${charge.userId} is gone`);
  const conv = world.chats.privateChat(charge.botId, charge.userId);
  conv.started = true;
  const stored = storeMessage(world, conv, { from: user, content });
  deliverToBots(world, conv, stored);
  return { messageId: stored.message.message_id, seq: stored.seq };
}

/** The `successful_payment` object for a charge (https://core.telegram.org/bots/api#successfulpayment). */
export function successfulPayment(charge: ChargeRecord, recurring?: { first: boolean }): Record<string, unknown> {
  const payment: Record<string, unknown> = {
    currency: charge.currency,
    total_amount: charge.amount,
    invoice_payload: charge.payload,
    telegram_payment_charge_id: charge.chargeId,
    provider_payment_charge_id: charge.providerChargeId,
  };
  if (charge.subscriptionExpiresAt !== undefined) payment.subscription_expiration_date = charge.subscriptionExpiresAt;
  if (recurring) {
    payment.is_recurring = true;
    if (recurring.first) payment.is_first_recurring = true;
  }
  return payment;
}

/** Marks a charge refunded and posts `refunded_payment` (the bot also sees it as an update). */
export function refundCharge(world: World, charge: ChargeRecord): void {
  charge.refunded = true;
  charge.refundedAt = unixNow();
  world.events.emit({
    type: 'refund',
    botId: charge.botId,
    chatId: charge.userId,
    userId: charge.userId,
    detail: { chargeId: charge.chargeId },
  });
  postPaymentMessage(world, charge, {
    refunded_payment: {
      currency: charge.currency,
      total_amount: charge.amount,
      invoice_payload: charge.payload,
      telegram_payment_charge_id: charge.chargeId,
      provider_payment_charge_id: charge.providerChargeId,
    },
  });
}
