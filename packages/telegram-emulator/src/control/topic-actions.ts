import { hasRight } from '../api/access.js';
import { deliverToBots, storeMessage } from '../state/post.js';
import { removeTopic } from '../state/topics.js';
import type { World } from '../state/world.js';
import { ControlError, findGroup, findUser } from './resolve.js';
import type { ManageTopicInput } from './types.js';

/**
 * A staff member closes, reopens, renames, deletes a topic by hand, or Telegram archives it (very
 * large forums). Close/reopen/rename leave a service message that bots receive as a message;
 * delete and archive send nothing (Telegram has no such update), so bots learn of it only when
 * their next send answers "message thread not found".
 */
export function manageTopic(world: World, input: ManageTopicInput): { seq: number; updateIds: number[] } {
  const user = findUser(world, input.from);
  const conv = findGroup(world, input.chatId);
  const topic = conv.topics.get(input.threadId);
  if (!topic || topic.archived) throw new ControlError(`no topic ${input.threadId} in ${input.chatId}`);
  if (input.action !== 'archive' && topic.creatorId !== user.id && !hasRight(conv, user.id, 'can_manage_topics')) {
    throw new ControlError(`user ${user.id} may not manage topics (make them an admin)`);
  }
  if (input.action === 'delete' || input.action === 'archive') {
    if (input.action === 'delete') removeTopic(world, conv, topic.threadId, { userId: user.id });
    else topic.archived = true;
    const event = world.events.emit({
      type: 'delete',
      chatId: conv.chat.id,
      threadId: topic.threadId,
      userId: user.id,
      detail: { topic: input.action },
    });
    return { seq: event.seq, updateIds: [] };
  }
  let content: Record<string, unknown>;
  if (input.action === 'rename') {
    if (!input.name || input.name.length > 128) throw new ControlError('a topic name has 1 to 128 characters');
    topic.name = input.name;
    content = { forum_topic_edited: { name: input.name } };
  } else {
    const closed = input.action === 'close';
    if (topic.closed === closed) throw new ControlError(closed ? 'already closed' : 'not closed');
    topic.closed = closed;
    content = closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} };
  }
  const stored = storeMessage(world, conv, { from: user, threadId: topic.threadId, content });
  return { seq: stored.seq, updateIds: deliverToBots(world, conv, stored) };
}
