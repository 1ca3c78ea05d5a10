import { randomBytes } from 'node:crypto';
import type { TgUser } from '../types.js';

export interface CallbackAnswer {
  text?: string;
  show_alert: boolean;
  url?: string;
  cache_time?: number;
}

/** A button press and, once the bot answered it, the answer. */
export interface CallbackRecord {
  id: string;
  botId: number;
  from: TgUser;
  chatId: number;
  messageId: number;
  data?: string;
  createdAt: number;
  answer?: CallbackAnswer;
  answeredAt?: number;
}

export class CallbackStore {
  private readonly byId = new Map<string, CallbackRecord>();

  create(input: Omit<CallbackRecord, 'id' | 'createdAt'>): CallbackRecord {
    // Telegram's ids are decimal strings of a 64-bit number.
    const id = BigInt(`0x${randomBytes(8).toString('hex')}`).toString();
    const record: CallbackRecord = { ...input, id, createdAt: Date.now() };
    this.byId.set(id, record);
    return record;
  }

  get(id: string): CallbackRecord | undefined {
    return this.byId.get(id);
  }

  list(botId?: number): CallbackRecord[] {
    return [...this.byId.values()].filter((c) => botId === undefined || c.botId === botId);
  }

  clear(): void {
    this.byId.clear();
  }
}
