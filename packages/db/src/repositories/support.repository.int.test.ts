import { describe, expect, it } from 'vitest';
import { makeAdmin, makeUser, useTestDatabase } from '../testing/index.js';

describe('support repository', () => {
  const db = useTestDatabase();
  const support = () => db().repos.support;

  it('opens one ticket per user even under a burst of messages, and a new one after closing', async () => {
    const user = await makeUser(db().repos);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => support().openOrGet({ userId: user.id, topicId: 42, subject: 'no internet' })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const ticket = results[0]!.ticket;
    expect(ticket).toMatchObject({ status: 'open', topicId: 42, subject: 'no internet' });
    expect(await support().getOpenTicket(user.id)).toMatchObject({ id: ticket.id });
    expect(await support().findOpenByTopic(42)).toMatchObject({ id: ticket.id });

    const closed = await support().setStatus(ticket.id, 'closed');
    expect(closed?.closedAt).toBeInstanceOf(Date);
    expect(await support().getOpenTicket(user.id)).toBeNull();
    const next = await support().openOrGet({ userId: user.id, diagnosis: { plan: 'm1' } });
    expect(next.created).toBe(true);
    expect(next.ticket.diagnosis).toEqual({ plan: 'm1' });
  });

  it('reads a ticket by id whatever its state, and null for an unknown id', async () => {
    const user = await makeUser(db().repos);
    const { ticket } = await support().openOrGet({ userId: user.id, topicId: 9, subject: 'slow', diagnosis: { ping: 80 } });
    expect(await support().getTicket(ticket.id)).toEqual(ticket);
    await support().setStatus(ticket.id, 'closed');
    expect(await support().getTicket(ticket.id)).toMatchObject({
      id: ticket.id,
      userId: user.id,
      status: 'closed',
      topicId: 9,
      subject: 'slow',
      diagnosis: { ping: 80 },
    });
    expect(await support().getTicket(ticket.id + 1_000)).toBeNull();
  });

  it('moves ticket state as messages flow and assigns staff', async () => {
    const user = await makeUser(db().repos);
    const admin = await makeAdmin(db().repos, { role: 'support' });
    const { ticket } = await support().openOrGet({ userId: user.id });
    expect(await support().touch(ticket.id, 'answered')).toMatchObject({ status: 'answered' });
    expect(await support().assign(ticket.id, admin.id)).toMatchObject({
      assignedAdminId: admin.id,
    });
    expect(await support().setTopic(ticket.id, 7)).toMatchObject({ topicId: 7 });
    expect(await support().setDiagnosis(ticket.id, { panel: 'ok' })).toMatchObject({
      diagnosis: { panel: 'ok' },
    });
    expect((await support().listByStatus(['answered'])).map((t) => t.id)).toEqual([ticket.id]);
  });

  it('maps relayed messages both ways, once per support message', async () => {
    const user = await makeUser(db().repos);
    const { ticket } = await support().openOrGet({ userId: user.id });
    const link = {
      ticketId: ticket.id,
      direction: 'in' as const,
      clientChatId: user.telegramId,
      clientMessageId: 10,
      supportChatId: -1001234567890,
      supportMessageId: 500,
    };
    const [a, b] = await Promise.all([support().addLink(link), support().addLink({ ...link, clientMessageId: 11 })]);
    expect(a.id).toBe(b.id);
    expect(await support().findLinkBySupportMessage(-1001234567890, 500)).toMatchObject({
      ticketId: ticket.id,
      direction: 'in',
    });
    const found = await support().findLinkByClientMessage(user.telegramId, a.clientMessageId);
    expect(found?.id).toBe(a.id);
  });
});
