import type { SupportTicket, User } from '@vpn/db';
import { customerTopicName } from '@vpn/telegram-kit';
import { GrammyError, type Api } from 'grammy';

export type TopicState = 'open' | 'pending' | 'answered' | 'closed';

/**
 * The ticket's state at a glance in the forum's topic list: a mark in the name and the topic's
 * icon. open: nobody answered yet; pending: in progress (answered before, the customer wrote
 * again); answered: waiting for the customer; closed.
 */
export const STATE_MARKS: Readonly<Record<TopicState, string>> = { open: '🔴', pending: '🟡', answered: '🟢', closed: '✅' };
/** Which of `getForumTopicIconStickers` (in its order) is each state's icon. */
const ICON_INDEX: Readonly<Record<TopicState, number>> = { open: 0, pending: 1, answered: 2, closed: 3 };

const notModified = (err: unknown) => err instanceof GrammyError && /TOPIC_NOT_MODIFIED/i.test(err.description);

/**
 * Renames a topic and sets its icon when its ticket's state changed. What was applied is
 * remembered per topic, so a card refresh that changes no state costs no edit (the group's edit
 * limit); after a restart the first refresh may edit once more (TOPIC_NOT_MODIFIED is ignored).
 */
export function createTopicStateSync(api: Api, chatId: number) {
  const applied = new Map<number, string>();
  let icons: Promise<string[]> | undefined;
  const iconIds = () =>
    (icons ??= api.getForumTopicIconStickers().then(
      (stickers) => stickers.map((s) => s.custom_emoji_id ?? '').filter(Boolean),
      () => [],
    ));

  return async function sync(user: User, threadId: number, ticket: SupportTicket | null): Promise<void> {
    const state: TopicState = ticket ? ticket.status : 'closed';
    const name = customerTopicName(user, STATE_MARKS[state]);
    const icon = (await iconIds())[ICON_INDEX[state]];
    const key = `${name}|${icon ?? ''}`;
    if (applied.get(threadId) === key) return;
    try {
      await api.editForumTopic(chatId, threadId, { name, ...(icon ? { icon_custom_emoji_id: icon } : {}) });
    } catch (err) {
      if (!notModified(err)) throw err;
    }
    applied.set(threadId, key);
  };
}
