import type { TgUser } from '../types.js';
import { UpdateQueue } from './update-queue.js';

/** How a bot is registered: the token is all Telegram needs; the rest shapes `getMe`. */
export interface BotSeed {
  /** `<id>:<secret>`, like BotFather's; the id is the part before the colon. */
  token: string;
  username?: string;
  firstName?: string;
  canJoinGroups?: boolean;
  canReadAllGroupMessages?: boolean;
}

/** https://core.telegram.org/bots/api#getme */
export interface BotInfo extends TgUser {
  is_bot: true;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
  has_topics_enabled: boolean;
  allows_users_to_create_topics: boolean;
  can_manage_bots: boolean;
  supports_join_request_queries: boolean;
}

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  ipAddress?: string;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface BotRecord {
  id: number;
  token: string;
  info: BotInfo;
  /** Commands per `scope`+`language_code` key. */
  commands: Map<string, BotCommand[]>;
  queue: UpdateQueue;
  webhook?: WebhookConfig;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

const TOKEN = /^(\d{1,20}):[A-Za-z0-9_-]{1,}$/;

/** Starts update ids from the clock so that a restarted emulator never reuses ids a running bot has confirmed. */
function initialUpdateId(): number {
  return Math.floor(Date.now() / 10) % 1_000_000_000_000;
}

export class BotRegistry {
  private readonly byToken = new Map<string, BotRecord>();
  /** Last update id per token, kept across `clear()` so ids only grow for a given token. */
  private readonly lastIds = new Map<string, number>();

  constructor(private readonly firstUpdateId?: number) {}

  /** Registers a bot, or updates its `getMe` if the token is known (its queue is kept). */
  register(seed: BotSeed): BotRecord {
    const m = TOKEN.exec(seed.token);
    if (!m) throw new Error(`not a bot token: expected "<digits>:<secret>"`);
    const id = Number(m[1]);
    const info: BotInfo = {
      id,
      is_bot: true,
      first_name: seed.firstName ?? 'Test Bot',
      username: (seed.username ?? `test_${id}_bot`).replace(/^@/, ''),
      can_join_groups: seed.canJoinGroups ?? true,
      can_read_all_group_messages: seed.canReadAllGroupMessages ?? false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    const existing = this.byToken.get(seed.token);
    if (existing) {
      existing.info = info;
      return existing;
    }
    const last = this.lastIds.get(seed.token) ?? (this.firstUpdateId ?? initialUpdateId()) - 1;
    const record: BotRecord = {
      id,
      token: seed.token,
      info,
      commands: new Map(),
      queue: new UpdateQueue(last),
    };
    this.byToken.set(seed.token, record);
    return record;
  }

  byTokenOrUndefined(token: string): BotRecord | undefined {
    return this.byToken.get(token);
  }

  byId(id: number): BotRecord | undefined {
    return [...this.byToken.values()].find((b) => b.id === id);
  }

  /** Finds a bot by token, numeric id or username (with or without "@"). */
  find(ref: string | number): BotRecord | undefined {
    if (typeof ref === 'number') return this.byId(ref);
    const byToken = this.byToken.get(ref);
    if (byToken) return byToken;
    if (/^\d+$/.test(ref)) return this.byId(Number(ref));
    const name = ref.replace(/^@/, '').toLowerCase();
    return this.all().find((b) => b.info.username.toLowerCase() === name);
  }

  all(): BotRecord[] {
    return [...this.byToken.values()];
  }

  /** Forgets every bot (remembering their last update ids). */
  clear(): void {
    for (const bot of this.byToken.values()) this.lastIds.set(bot.token, bot.queue.lastUpdateId);
    this.byToken.clear();
  }
}

/** The `User` object of a bot, as it appears in `from` of its messages. */
export function botUser(bot: BotRecord): TgUser {
  return { id: bot.id, is_bot: true, first_name: bot.info.first_name, username: bot.info.username };
}
