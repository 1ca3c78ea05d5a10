/** A notification an emulator has produced: the exact bytes and headers it will POST. */
export interface OutgoingNotification {
  id: number;
  body: string;
  headers: Record<string, string>;
}

/** One POST of a notification to the webhook URL. */
export interface DeliveryAttempt {
  notificationId: number;
  attempt: number;
  /** The receiver's HTTP status, or `error` when the connection failed or timed out. */
  status: number | 'error';
}

export interface NotificationOutboxOptions {
  /** Where notifications go; without one they are kept until `setWebhookUrl` and `release`. */
  webhookUrl?: string;
  /** Pauses between attempts after a non-2xx answer; the length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Whether an answer counts as delivered (default: any 2xx); Sever Pay also wants JSON with `"status": true`. */
  accepts?: (answer: { status: number; contentType: string; body: string }) => boolean;
}

/** Delivery controls every emulator shares (see NotificationOutbox). */
export interface NotificationControls {
  /** Every notification produced, in order. */
  readonly notifications: readonly OutgoingNotification[];
  /** Every delivery attempt made, in order. */
  readonly attempts: readonly DeliveryAttempt[];
  setWebhookUrl(url: string | undefined): void;
  /** Keep new notifications instead of sending them (to release later, e.g. out of order). */
  hold(): void;
  /** Send what was held (newest first with `reverse`) and go back to sending at once. */
  release(options?: { reverse?: boolean }): Promise<void>;
  /** Send notification `id` again `times` times (a duplicate delivery), with retries. */
  redeliver(id: number, times?: number): Promise<void>;
  /** One POST of arbitrary bytes and headers, no retries; returns the receiver's status. */
  deliverRaw(body: string, headers: Record<string, string>): Promise<number | 'error'>;
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
}

/**
 * Sends an emulator's notifications to the webhook URL the way providers do: POST JSON, retry
 * after any non-2xx answer or failure, and hold / reorder / duplicate on request so tests can
 * reproduce duplicates, out-of-order and late deliveries.
 */
export class NotificationOutbox implements NotificationControls {
  readonly notifications: OutgoingNotification[] = [];
  readonly attempts: DeliveryAttempt[] = [];
  private webhookUrl: string | undefined;
  private holding = false;
  private held: OutgoingNotification[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly accepts: NonNullable<NotificationOutboxOptions['accepts']>;
  private nextId = 1;
  private stopped = false;
  private readonly sleepers = new Set<() => void>();

  constructor(options: NotificationOutboxOptions = {}) {
    this.webhookUrl = options.webhookUrl;
    this.retryDelaysMs = options.retryDelaysMs ?? [200, 1_000, 5_000, 30_000];
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.accepts = options.accepts ?? (({ status }) => status >= 200 && status < 300);
  }

  /** Records a notification and sends it now, unless held or there is no webhook URL yet. */
  enqueue(body: string, headers: Record<string, string>): OutgoingNotification {
    const notification = { id: this.nextId++, body, headers };
    this.notifications.push(notification);
    if (this.holding || !this.webhookUrl) this.held.push(notification);
    else this.track(this.deliverWithRetries(notification));
    return notification;
  }

  setWebhookUrl(url: string | undefined): void {
    this.webhookUrl = url;
  }

  hold(): void {
    this.holding = true;
  }

  async release(options: { reverse?: boolean } = {}): Promise<void> {
    this.holding = false;
    const batch = options.reverse ? [...this.held].reverse() : [...this.held];
    this.held = [];
    // One after another, so "reverse" really is the order the receiver sees.
    for (const notification of batch) await this.deliverWithRetries(notification);
  }

  async redeliver(id: number, times = 1): Promise<void> {
    const notification = this.notifications.find((n) => n.id === id);
    if (!notification) throw new Error(`no notification ${id}`);
    for (let i = 0; i < times; i++) await this.deliverWithRetries(notification);
  }

  async deliverRaw(body: string, headers: Record<string, string>): Promise<number | 'error'> {
    return this.post({ id: 0, body, headers });
  }

  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Abandons pending retries (on emulator close) so nothing is sent afterwards. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  /** The controls an emulator exposes, bound to this outbox. */
  controls(): NotificationControls {
    return {
      notifications: this.notifications,
      attempts: this.attempts,
      setWebhookUrl: (url) => this.setWebhookUrl(url),
      hold: () => this.hold(),
      release: (options) => this.release(options),
      redeliver: (id, times) => this.redeliver(id, times),
      deliverRaw: (body, headers) => this.deliverRaw(body, headers),
      idle: () => this.idle(),
    };
  }

  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private track(promise: Promise<void>): void {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
  }

  private async deliverWithRetries(notification: OutgoingNotification): Promise<void> {
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt++) {
      if (attempt > 0) await this.sleep(this.retryDelaysMs[attempt - 1]);
      if (this.stopped) return;
      const answer = await this.send(notification);
      const status = answer === 'error' ? answer : answer.status;
      this.attempts.push({ notificationId: notification.id, attempt: attempt + 1, status });
      if (answer !== 'error' && this.accepts(answer)) return;
    }
  }

  private async post(notification: OutgoingNotification): Promise<number | 'error'> {
    const answer = await this.send(notification);
    return answer === 'error' ? answer : answer.status;
  }

  private async send(notification: OutgoingNotification): Promise<{ status: number; contentType: string; body: string } | 'error'> {
    if (!this.webhookUrl) return 'error';
    try {
      const response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...notification.headers },
        body: notification.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
    } catch {
      return 'error';
    }
  }
}
