import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, type ClientWorld } from '../testing/client-world.js';

// One behaviour: a Stars payment whose forward to the webhooks service fails is left to the
// worker's payment poll, and the poll has what it needs to find it (the worker's
// payment-poll.int.test settles such a payment from the bot's Star transactions).
describe('a Stars payment the bot could not forward', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('stars-fallback', { starsForward: 'fail' });
  });
  afterAll(async () => {
    // The failed forward is logged at error level on purpose; nothing else may be.
    const errors = w.logs.filter((l) => l.level >= 50).map((l) => String(l.msg));
    expect(errors).toEqual(['stars payment not forwarded; left to the payment poll']);
    await w.close();
  });

  it('records our id as the Stars external id at checkout and asks the worker to poll once paid', async () => {
    const en = w.i18n.forLanguage('en');
    const user = await w.newUser('en', 'Stella');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    const plans = await w.next(user);
    await w.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('1 month'))!,
    );
    await w.nextEdit(user);
    await w.press(user, en('client.checkout.methods.stars'));
    const invoice = await w.next(user);
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const [payment] = await w.db.repos.payments.listByUser(customer!.id);
    expect(invoice.message.invoice).toMatchObject({ currency: 'XTR' });
    expect(payment).toMatchObject({ provider: 'stars', status: 'pending', externalId: payment!.id, confirmationUrl: null });

    const paid = await w.tg.payInvoice({ from: user.id, bot: w.botInfo.id });
    expect(paid.status).toBe('paid');
    expect((await w.next(user)).text).toContain(en('client.payment.received'));
    expect(w.forwarded).toHaveLength(1);
    const polls = await w.queues.queue({ name: 'payment-poll' } as never).getJobs(['waiting', 'delayed']);
    expect(polls.map((j) => j.data)).toEqual([{ scope: 'payment', paymentId: payment!.id }]);
    // Nothing settled it here: that is the worker's poll.
    expect((await w.db.repos.payments.get(payment!.id))?.status).toBe('pending');
  });
});
