/** Telegram's longest forum topic name. */
export const TOPIC_NAME_MAX = 128;

/**
 * A customer's forum topic name, "Ann Lee @ann · #42" (who at a glance, the id to search by),
 * with an optional state mark in front ("🟢 Ann Lee @ann · #42"); cut to Telegram's 128
 * characters, the id always kept. The worker names new topics, the support bot renames them as
 * the ticket moves: one format for both.
 */
export function customerTopicName(
  user: { id: number; firstName: string | null; lastName?: string | null; username?: string | null },
  mark?: string,
): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || 'Customer';
  const handle = user.username ? ` @${user.username}` : '';
  const prefix = mark ? `${mark} ` : '';
  const suffix = ` · #${user.id}`;
  return `${prefix}${name}${handle}`.slice(0, TOPIC_NAME_MAX - suffix.length) + suffix;
}
