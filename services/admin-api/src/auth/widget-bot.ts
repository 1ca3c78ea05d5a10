import type { Logger } from '@vpn/logger';

/** How long a failed lookup is trusted before the next request asks Telegram again. */
const RETRY_MS = 60_000;

/**
 * The admin bot's username for the Login Widget, asked of Telegram (`getMe`) on first use and
 * remembered. Telegram unreachable: null (the page offers codes only) and asked again after a
 * minute, so a start while the network is down does not hide the button until a restart.
 */
export function rememberBotUsername(
  getMe: () => Promise<{ username?: string }>,
  logger: Logger,
  now: () => number = Date.now,
): () => Promise<string | null> {
  let known: string | null = null;
  let failedAt = -Infinity;
  let pending: Promise<string | null> | null = null;
  return async () => {
    if (known) return known;
    if (now() - failedAt < RETRY_MS) return null;
    pending ??= getMe()
      .then((me) => (known = me.username ?? null))
      .catch((err: unknown) => {
        failedAt = now();
        logger.warn({ err }, 'could not read the admin bot’s username: the sign-in page offers codes only for now');
        return null;
      })
      .finally(() => (pending = null));
    return pending;
  };
}
