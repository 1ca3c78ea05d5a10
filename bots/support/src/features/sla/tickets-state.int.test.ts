import { createApi } from '@vpn/telegram-kit';
import { silentLogger } from '@vpn/logger';
import { describe, expect, it } from 'vitest';
import { SUPPORT, useSupportWorld } from '../../testing/support-world.js';
import { STATE_MARKS } from '../card/topic-state.js';
import { createSlaWatch } from './watch.js';

/** Ticket states in the topic's name and icon, /assign, the SLA flags and summary, response times. */
describe('ticket states and SLA', () => {
  const w = useSupportWorld();
  const t = w.i18n.forLanguage('ru');
  const topicOf = async (threadId: number) => (await w.tg.client.getTopics({ chatId: w.chatId })).find((x) => x.threadId === threadId)!;
  const ticketOf = async (userId: number) => (await w.h.db.repos.support.getOpenTicket(userId))!;
  const texts = async (threadId: number) => (await w.tg.client.getMessages({ chatId: w.chatId, threadId })).map((m) => m.text ?? '');

  it('shows open → in progress → waiting for the customer → closed in the topic name and icon, and keeps response times', async () => {
    const { userId, threadId } = await w.customerTopic();
    const icons = (await createApi(SUPPORT, { apiRoot: w.tg.apiRoot }).getForumTopicIconStickers()).map((s) => s.custom_emoji_id);
    await w.eventually(async () => expect((await topicOf(threadId)).name).toMatch(new RegExp(`^${STATE_MARKS.open} .* · #${userId}$`)));
    expect((await topicOf(threadId)).iconCustomEmojiId).toBe(icons[0]);
    const ticket = await ticketOf(userId);
    // Staff answered (the worker relayed it): waiting for the customer; first response kept.
    await w.h.db.repos.support.touch(ticket.id, 'answered');
    await w.eventually(async () => expect((await topicOf(threadId)).name.startsWith(STATE_MARKS.answered)).toBe(true));
    expect((await topicOf(threadId)).iconCustomEmojiId).toBe(icons[2]);
    const answered = await ticketOf(userId);
    expect(answered.firstResponseAt).toBeInstanceOf(Date);
    expect(answered.awaitingSince).toBeNull();
    // The customer wrote again: in progress, waiting since now; the first response stays.
    await w.h.db.repos.support.touch(ticket.id, 'open');
    await w.eventually(async () => expect((await topicOf(threadId)).name.startsWith(STATE_MARKS.pending)).toBe(true));
    const again = await ticketOf(userId);
    expect(again.firstResponseAt).toEqual(answered.firstResponseAt);
    expect(again.awaitingSince).toBeInstanceOf(Date);
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'close' });
    await w.eventually(async () => expect((await topicOf(threadId)).name.startsWith(STATE_MARKS.closed)).toBe(true));
    expect((await topicOf(threadId)).iconCustomEmojiId).toBe(icons[3]);
    const closed = await w.h.db.repos.support.getTicket(ticket.id);
    expect(closed?.closedAt).toBeInstanceOf(Date);
  });

  it('/assign takes the ticket, names a staff member by @name or by reply, and says when it knows no one', async () => {
    const { userId, threadId } = await w.customerTopic();
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'assign' });
    await w.eventually(async () => expect((await ticketOf(userId)).assignedAdminId).not.toBeNull());
    await w.eventually(async () => expect((await ticketOf(userId)).status).toBe('pending'));
    await w.eventually(async () => expect(await texts(threadId)).toContain(t('support.tickets.assigned', { name: 'Staff' })));
    await w.eventually(async () =>
      expect((await texts(threadId)).some((x) => x.includes(t('support.card.assignee', { name: 'Staff' })))).toBe(true),
    );

    const finance = await w.member('finance');
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'assign', payload: `@finance ${finance}` });
    const admin = await w.h.db.repos.admins.findActiveByTelegramId(finance);
    await w.eventually(async () => expect((await ticketOf(userId)).assignedAdminId).toBe(admin!.id));
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'assign', payload: '@nobody' });
    await w.eventually(async () => expect(await texts(threadId)).toContain(t('support.tickets.assignUnknown')));
    expect((await ticketOf(userId)).assignedAdminId).toBe(admin!.id);
  });

  it('flags a customer waiting past support.slaMinutes once, lists waits in the summary topic, and clears it when answered', async () => {
    await w.h.db.repos.settings.set('support.slaMinutes', 10);
    // The earlier tests' tickets are answered: only this test's customers wait.
    await w.h.db.sequelize.query(`UPDATE support_tickets SET awaiting_since = NULL`);
    const late = await w.customerTopic();
    const fresh = await w.customerTopic();
    const lateTicket = await ticketOf(late.userId);
    await w.h.db.sequelize.query(`UPDATE support_tickets SET awaiting_since = now() - interval '25 minutes' WHERE id = $1`, {
      bind: [lateTicket.id],
    });
    const watch = createSlaWatch({
      api: createApi(SUPPORT, { apiRoot: w.tg.apiRoot }),
      db: w.h.db,
      i18n: w.i18n,
      chatId: w.chatId,
      logger: silentLogger(),
    });
    expect(await watch.tick()).toEqual({ flagged: 1 });
    expect(await texts(late.threadId)).toContain(t('support.sla.flag', { minutes: 25, limit: 10 }));
    expect((await texts(fresh.threadId)).some((x) => x.startsWith('⏰'))).toBe(false);
    const summaryTopic = (await w.tg.client.getTopics({ chatId: w.chatId })).find((x) => x.name === t('support.sla.topic'))!;
    const summary = async () =>
      (await w.tg.client.getMessages({ chatId: w.chatId, threadId: summaryTopic.threadId })).find((m) => m.pinned)!;
    const lines = (await summary()).text!.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^⏰ .*#${lateTicket.id}.*#${late.userId}.* 25 мин$`));
    expect(lines[2]).toMatch(new RegExp(`^• .*#${fresh.userId}`));
    // Flagged once per wait.
    expect(await watch.tick()).toEqual({ flagged: 0 });
    await w.h.db.repos.support.touch(lateTicket.id, 'answered');
    await w.h.db.repos.support.touch((await ticketOf(fresh.userId)).id, 'answered');
    await watch.tick();
    expect((await summary()).text).toBe(t('support.sla.summaryEmpty'));
    await w.h.db.repos.settings.remove('support.slaMinutes');
  });
});
