import { describe, expect, it } from 'vitest';
import { makeUser, useTestDatabase } from '../testing/index.js';

describe('support relays repository', () => {
  const db = useTestDatabase();
  const relays = () => db().repos.supportRelays;

  it('records a message once, hands out unfinished rows in message order and claims each once', async () => {
    const user = await makeUser(db().repos);
    const chat = user.telegramId;
    for (const messageId of [12, 10, 11]) await relays().record({ userId: user.id, direction: 'in', fromChatId: chat, messageId });
    const again = await relays().record({ userId: user.id, direction: 'in', fromChatId: chat, messageId: 10, note: 'ignored' });
    expect(again.note).toBeNull();
    const rows = await relays().unfinished(user.id, 'in');
    expect(rows.map((r) => r.messageId)).toEqual([10, 11, 12]);
    const [first, second] = rows;

    // Ten attempts at once: one claim wins.
    const claims = await Promise.all(Array.from({ length: 10 }, () => relays().claim([first!.id], 60_000)));
    expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c === 'busy')).toHaveLength(9);
    await relays().markSent([first!.id], [501]);
    expect(await relays().claim([first!.id], 60_000)).toBe('done');

    // An album is claimed whole or not at all; a lapsed claim (a dead sender) is taken over.
    expect(await relays().claim([second!.id], 0)).toBe('claimed');
    await new Promise((r) => setTimeout(r, 5));
    expect(await relays().claim([second!.id, rows[2]!.id], 60_000)).toBe('claimed');
    expect(await relays().claim([second!.id, rows[2]!.id], 60_000)).toBe('busy');
    await relays().release([second!.id, rows[2]!.id]);
    await relays().drop([rows[2]!.id], 'blocked');
    expect((await relays().unfinished(user.id, 'in')).map((r) => r.messageId)).toEqual([11]);
  });

  it('maps a customer to a topic, keeps the replaced one, and says each notice once', async () => {
    const user = await makeUser(db().repos);
    await relays().saveTopic(user.id, -1001, 7);
    expect(await relays().findTopicByThread(-1001, 7)).toMatchObject({ userId: user.id, previousThreadId: null });
    const replaced = await relays().saveTopic(user.id, -1001, 9);
    expect(replaced).toMatchObject({ threadId: 9, previousThreadId: 7 });
    const notices = await Promise.all([1, 2, 3].map(() => relays().noticeOnce(user.id, 'blocked')));
    expect(notices.filter(Boolean)).toHaveLength(1);
    expect(await relays().setBanned(user.id, true)).toBe(true);
    expect((await relays().getTopic(user.id))?.bannedAt).toBeInstanceOf(Date);
    expect(await relays().noticeOnce(user.id, 'ban')).toBe(true);
    expect(await relays().noticeOnce(user.id, 'ban')).toBe(false);
    await relays().setBanned(user.id, false);
    expect((await relays().getTopic(user.id))?.bannedAt).toBeNull();
  });
});
