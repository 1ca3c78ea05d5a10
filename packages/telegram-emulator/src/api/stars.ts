import { refundCharge } from '../state/payment-messages.js';
import type { ChargeRecord } from '../state/payments.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';

function findCharge(ctx: MethodContext): ChargeRecord {
  const userId = ctx.params.reqInt('user_id', 'USER_ID_INVALID');
  const chargeId = ctx.params.reqStr('telegram_payment_charge_id', TG.chargeNotFound);
  const charge = ctx.world.payments.charges.get(chargeId);
  if (!charge || charge.botId !== ctx.bot.id || charge.userId !== userId) throw badRequest(TG.chargeNotFound);
  return charge;
}

/** refundStarPayment: once per charge (then CHARGE_ALREADY_REFUNDED); posts `refunded_payment`. */
function refundStarPayment(ctx: MethodContext): true {
  const charge = findCharge(ctx);
  if (charge.refunded) throw badRequest(TG.chargeAlreadyRefunded);
  refundCharge(ctx.world, charge);
  return true;
}

function editUserStarSubscription(ctx: MethodContext): true {
  const charge = findCharge(ctx);
  if (charge.subscriptionExpiresAt === undefined) throw badRequest('SUBSCRIPTION_NOT_FOUND');
  const canceled = ctx.params.bool('is_canceled');
  if (canceled === undefined) throw badRequest('is_canceled is empty');
  charge.subscriptionCanceled = canceled;
  return true;
}

/** getStarTransactions: payments (incoming) and refunds (outgoing, same id), oldest first. */
function getStarTransactions(ctx: MethodContext): { transactions: unknown[] } {
  const offset = ctx.params.int('offset') ?? 0;
  const limit = ctx.params.int('limit') ?? 100;
  if (limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100');
  const list = [...ctx.world.payments.charges.values()]
    .filter((c) => c.botId === ctx.bot.id)
    .flatMap((c) => {
      const user = ctx.world.chats.users.get(c.userId) ?? {
        id: c.userId,
        is_bot: false,
        first_name: '',
      };
      const partner = {
        type: 'user',
        transaction_type: 'invoice_payment',
        user,
        invoice_payload: c.payload,
      };
      const payment = { id: c.chargeId, amount: c.amount, date: c.date, source: partner };
      return c.refunded ? [payment, { id: c.chargeId, amount: c.amount, date: c.refundedAt ?? c.date, receiver: partner }] : [payment];
    });
  return { transactions: list.slice(offset, offset + limit) };
}

/** getMyStarBalance: payments not refunded, less 0.1 Star per paid-broadcast message (StarAmount). */
function getMyStarBalance(ctx: MethodContext): { amount: number; nanostar_amount?: number } {
  const charges = [...ctx.world.payments.charges.values()].filter((c) => c.botId === ctx.bot.id && !c.refunded);
  const tenths = charges.reduce((sum, c) => sum + c.amount * 10, 0) - (ctx.world.payments.paidBroadcasts.get(ctx.bot.id) ?? 0);
  // Telegram gives the whole Stars and the nanostars with the same sign.
  const amount = Math.trunc(tenths / 10);
  const nanos = (tenths - amount * 10) * 100_000_000;
  return nanos === 0 ? { amount } : { amount, nanostar_amount: nanos };
}

export const starMethods: Record<string, MethodHandler> = {
  refundStarPayment,
  editUserStarSubscription,
  getStarTransactions,
  getMyStarBalance,
};
