import { ApiError, TG } from '../api/errors.js';
import type { TgUpdate, UpdateKind } from '../types.js';

/** Telegram's default when `allowed_updates` was never given: everything but these. */
const OFF_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** Telegram keeps unconfirmed updates for 24 hours; the emulator caps the count instead. */
const MAX_PENDING = 10_000;

interface Poll {
  terminate: () => void;
}

/**
 * One bot's pending updates. Ids grow strictly (also across an emulator reset); an update leaves
 * the queue only when confirmed (`getUpdates` with a higher offset, or a 2xx from the webhook),
 * so a response lost on the wire is delivered again, as on Telegram.
 */
export class UpdateQueue {
  private pending: TgUpdate[] = [];
  private allowed: Set<string> | undefined;
  private poll: Poll | undefined;
  private readonly wakers = new Set<() => void>();

  constructor(private lastId: number) {}

  get lastUpdateId(): number {
    return this.lastId;
  }

  get size(): number {
    return this.pending.length;
  }

  get allowedUpdates(): string[] | undefined {
    return this.allowed ? [...this.allowed] : undefined;
  }

  /** An empty list restores the default, as on Telegram. */
  setAllowed(kinds: string[] | undefined): void {
    if (kinds === undefined) return;
    this.allowed = kinds.length === 0 ? undefined : new Set(kinds);
  }

  accepts(kind: UpdateKind): boolean {
    return this.allowed ? this.allowed.has(kind) : !OFF_BY_DEFAULT.has(kind);
  }

  /** Queues an update unless `allowed_updates` filters it out; wakes a long poll or the webhook. */
  push(kind: UpdateKind, payload: unknown): TgUpdate | undefined {
    if (!this.accepts(kind)) return undefined;
    const update: TgUpdate = { update_id: ++this.lastId, [kind]: structuredClone(payload) };
    this.pending.push(update);
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    this.wake();
    return update;
  }

  /** `offset` > 0 forgets updates below it; < 0 keeps only the last `-offset` ones. */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    this.pending = offset > 0 ? this.pending.filter((u) => u.update_id >= offset) : this.pending.slice(offset);
  }

  /** Forgets one delivered update (webhook mode). */
  confirmId(updateId: number): void {
    this.pending = this.pending.filter((u) => u.update_id !== updateId);
  }

  peek(limit: number): TgUpdate[] {
    return this.pending.slice(0, limit);
  }

  drop(): void {
    this.pending = [];
  }

  /** Wakes every waiter (a long poll re-checks whether a webhook was set meanwhile). */
  wake(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Ends a pending long poll with Telegram's 409 "terminated by other getUpdates request". */
  terminatePoll(): void {
    this.poll?.terminate();
  }

  /**
   * Waits until an update is queued, `timeoutMs` passes or `signal` aborts. Only one long poll
   * exists at a time: starting one terminates the previous (which gets the 409).
   */
  waitForUpdate(timeoutMs: number, signal?: AbortSignal, exclusive = true): Promise<void> {
    if (exclusive) this.terminatePoll();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: ApiError): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        signal?.removeEventListener('abort', wake);
        if (this.poll === poll) this.poll = undefined;
        if (error) reject(error);
        else resolve();
      };
      const wake = (): void => finish();
      const poll: Poll = { terminate: () => finish(new ApiError(409, TG.terminatedByOther)) };
      const timer = setTimeout(wake, timeoutMs);
      this.wakers.add(wake);
      signal?.addEventListener('abort', wake);
      if (exclusive) this.poll = poll;
    });
  }
}
