import type { User } from '@vpn/db';
import type { CreatedPayment } from '@vpn/payments';
import type { Message } from 'grammy/types';
import type { WorkerHarness } from './worker-harness.js';

/**
 * What Telegram and the client bot do when a customer pays a Stars invoice, for worker tests:
 * the bot sends the invoice, Telegram asks it (`pre_checkout_query`, answered yes through
 * getUpdates, as the bot's pre-checkout handler would) and posts `successful_payment` with a new
 * charge in the bot's Star transactions. Returns that message as the bot received it, so a test
 * can decide whether its forward to the webhooks service arrived, failed, or arrives late.
 */
export async function payStarsInvoice(h: WorkerHarness, user: User, created: CreatedPayment): Promise<Message> {
  const invoice = created.invoice;
  if (!invoice) throw new Error('not a Stars payment');
  const api = h.deps.clientApi;
  await api.sendInvoice(user.telegramId, invoice.title, invoice.description, invoice.payload, 'XTR', invoice.prices);
  const paying = h.telegram.client.payInvoice({ from: user.telegramId, bot: 'vpn_client_bot' });
  let offset = 0;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const update of await api.getUpdates({ offset, timeout: 0 })) {
      offset = update.update_id + 1;
      if (update.pre_checkout_query) await api.answerPreCheckoutQuery(update.pre_checkout_query.id, true);
      if (update.message?.successful_payment?.invoice_payload === invoice.payload) {
        const result = await paying;
        if (result.status !== 'paid') throw new Error(`the Stars payment ended ${result.status}`);
        await api.getUpdates({ offset, timeout: 0 });
        return update.message;
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no successful_payment within 10 s');
}
