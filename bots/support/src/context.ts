import type { BotContext } from '@vpn/telegram-kit';

/** The support bot keeps no per-user session: the ticket and topic state live in PostgreSQL. */
export type SupportContext = BotContext<Record<string, never>>;
