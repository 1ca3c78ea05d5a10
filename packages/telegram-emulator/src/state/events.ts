/** What happened in the emulated world, in one global order (`seq` never goes back, even on reset). */
export type EventType =
  | 'user_message'
  | 'user_edit'
  | 'callback_query'
  | 'message'
  | 'edit'
  | 'delete'
  | 'callback_answer'
  | 'chat_action'
  | 'pre_checkout_query'
  | 'pre_checkout_answer'
  | 'payment'
  | 'refund'
  | 'block'
  | 'unblock';

export interface EmulatorEvent {
  seq: number;
  /** Unix milliseconds. */
  at: number;
  type: EventType;
  botId?: number;
  chatId?: number;
  threadId?: number;
  messageId?: number;
  userId?: number;
  detail?: Record<string, unknown>;
}

export type EventInput = Omit<EmulatorEvent, 'seq' | 'at'>;

/** Thrown when a wait for an event times out; the message says what was awaited. */
export class EmulatorTimeoutError extends Error {
  /** `timeoutMs` absent: `what` is already the whole message (as relayed by the HTTP client). */
  constructor(what: string, timeoutMs?: number) {
    super(timeoutMs === undefined ? what : `Timed out after ${timeoutMs} ms waiting for ${what}`);
    this.name = 'EmulatorTimeoutError';
  }
}

interface Waiter {
  after: number;
  match: (e: EmulatorEvent) => boolean;
  resolve: (e: EmulatorEvent) => void;
}

/** Keeps the newest events so a long-running sandbox does not grow without bound. */
const KEEP = 50_000;

/**
 * The event log behind every "wait for" of the control API. Waiting is promise-based: a waiter
 * is resolved by `emit`, never by polling, and events already logged after the caller's cursor
 * resolve it at once (so a reply that beats the wait is not missed).
 */
export class EventLog {
  private last = 0;
  private events: EmulatorEvent[] = [];
  private readonly waiters = new Set<Waiter>();

  get seq(): number {
    return this.last;
  }

  emit(input: EventInput): EmulatorEvent {
    const event: EmulatorEvent = { ...input, seq: ++this.last, at: Date.now() };
    this.events.push(event);
    if (this.events.length > KEEP) this.events = this.events.slice(-KEEP / 2);
    for (const w of this.waiters) {
      if (event.seq > w.after && w.match(event)) {
        this.waiters.delete(w);
        w.resolve(event);
      }
    }
    return event;
  }

  since(after: number, match: (e: EmulatorEvent) => boolean = () => true): EmulatorEvent[] {
    return this.events.filter((e) => e.seq > after && match(e));
  }

  waitFor(match: (e: EmulatorEvent) => boolean, after: number, timeoutMs: number, what: string): Promise<EmulatorEvent> {
    const existing = this.firstAfter(after, match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        after,
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new EmulatorTimeoutError(what, timeoutMs));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * The first logged event after `after` that matches. The log is in `seq` order, so the scan
   * starts at the first later event (binary search), not at the start of up to 50 000 events:
   * a long run of waits (a load test's customers) would otherwise be quadratic.
   */
  private firstAfter(after: number, match: (e: EmulatorEvent) => boolean): EmulatorEvent | undefined {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[mid] as EmulatorEvent).seq <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.events.length; i++) {
      const event = this.events[i] as EmulatorEvent;
      if (match(event)) return event;
    }
    return undefined;
  }

  /** Forgets the history (reset) but keeps `seq` growing so clients' cursors stay valid. */
  clear(): void {
    this.events = [];
  }
}
