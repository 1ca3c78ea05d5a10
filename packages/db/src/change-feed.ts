import type { Logger } from '@vpn/logger';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The channel the `notify_row_change` trigger announces on (migration 202612061000). */
export const ROW_CHANGES_CHANNEL = 'row_changes';

/** Tables whose committed changes are announced, and what the key of an announcement is. */
export interface RowChangeKeys {
  /** A subscription of this user changed (inserted, updated, deleted). */
  subscriptions: number;
  /** A VPN account of this subscription changed. */
  vpn_accounts: number;
  /** A payment of this user was made or changed status. */
  payments: number;
  /** A support ticket of this user was opened, moved or assigned. */
  support_tickets: number;
  /** This user's support topic was mapped, replaced, banned or unbanned. */
  support_topics: number;
  /** This user was blocked or unblocked, blocked the bot, or took the trial. */
  users: number;
}
export type ChangedTable = keyof RowChangeKeys;

export type ChangeListener = (change: { table: ChangedTable; key: number } | { reset: true }) => void;

export interface ChangeFeedOptions {
  url: string;
  /** Only announcements of this schema are passed on (each test worker and bench has its own). */
  schema: string;
  logger?: Logger;
  /** First delay before reconnecting after the connection was lost; doubles up to 30 s. Default 500 ms. */
  retryDelayMs?: number;
  /**
   * How often the connection proves it still hears announcements: it announces a probe to itself
   * and counts as lost when the probe is not back within 5 s (or the interval, if shorter). This
   * catches what no socket error reports: a connection a NAT or firewall dropped silently, or a
   * pooler (PgBouncer in transaction mode) that accepts LISTEN but never delivers. Default 30 s.
   */
  heartbeatMs?: number;
}

/**
 * Committed row changes of our schema, from one dedicated LISTEN connection. While it is not
 * listening (not started yet, or the connection was lost) nothing may be trusted to be fresh:
 * `listening` is false, and every loss is passed on as `{ reset: true }` (announcements made
 * meanwhile are gone) before it reconnects with backoff.
 */
export interface ChangeFeed {
  readonly listening: boolean;
  /** The PostgreSQL backend of the LISTEN connection while there is one (diagnostics, tests). */
  readonly backendPid: number | null;
  /** Connects and LISTENs; resolves once listening, rejects if the first attempt fails (it keeps retrying). */
  start(): Promise<void>;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

const TABLES: ReadonlySet<string> = new Set<ChangedTable>([
  'subscriptions',
  'vpn_accounts',
  'payments',
  'support_tickets',
  'support_topics',
  'users',
]);
/** The feed's own probes: `<schema>:probe:<uuid>`, never passed on. */
const PROBE = 'probe';

/** `<schema>:<table>:<key>` of our schema, else null (another schema's, or not ours at all). */
export function parseRowChange(payload: string | undefined, schema: string): { table: ChangedTable; key: number } | null {
  if (!payload?.startsWith(`${schema}:`)) return null;
  const [table, key, extra] = payload.slice(schema.length + 1).split(':');
  const id = Number(key);
  if (extra !== undefined || !table || !TABLES.has(table) || !Number.isSafeInteger(id)) return null;
  return { table: table as ChangedTable, key: id };
}

export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const listeners = new Set<ChangeListener>();
  const baseDelay = options.retryDelayMs ?? 500;
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let delay = baseDelay;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const probeTimeoutMs = Math.min(5_000, heartbeatMs);
  // Connecting and LISTEN on a silent network would otherwise wait for ever.
  const ioTimeoutMs = Math.max(2 * probeTimeoutMs, 1_000);
  const probes = new Map<string, () => void>();
  let probing = false;

  const emit = (change: Parameters<ChangeListener>[0]) => {
    for (const listener of listeners) listener(change);
  };

  /** Lets go of the current connection: its late events are ignored, its end awaited quietly. */
  const hangUp = async () => {
    listening = false;
    const c = client;
    client = undefined;
    c?.removeAllListeners();
    c?.on('error', () => undefined);
    // A silent connection never acknowledges the goodbye: do not let it hold a shutdown.
    await Promise.race([c?.end().catch(() => undefined), new Promise((r) => setTimeout(r, ioTimeoutMs).unref())]);
  };

  const lost = (reason: unknown) => {
    const wasListening = listening;
    void hangUp();
    emit({ reset: true });
    if (closed) return;
    if (wasListening) options.logger?.warn({ err: reason }, 'change feed lost its connection; reconnecting');
    retry = setTimeout(() => void connect().catch(() => undefined), delay);
    retry.unref();
    delay = Math.min(delay * 2, 30_000);
  };

  /** Announces a probe on `c` and waits for it to come back; rejects after `probeTimeoutMs`. */
  async function probe(c: pg.Client): Promise<void> {
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<void>((resolve, reject) => {
      probes.set(id, resolve);
      timer = setTimeout(() => reject(new Error(`change feed probe not back within ${probeTimeoutMs} ms`)), probeTimeoutMs);
    });
    try {
      // Raced, not awaited in turn: on a dead socket the query itself never answers.
      await Promise.all([c.query('SELECT pg_notify($1, $2)', [ROW_CHANGES_CHANNEL, `${options.schema}:${PROBE}:${id}`]), back]);
    } finally {
      probes.delete(id);
      clearTimeout(timer);
    }
  }

  const beat = () => {
    const c = client;
    if (!c || !listening || probing) return;
    probing = true;
    probe(c)
      .catch((err: unknown) => {
        if (client === c) lost(err);
      })
      .finally(() => (probing = false));
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: options.url,
      application_name: 'vpn-change-feed',
      connectionTimeoutMillis: ioTimeoutMs,
      query_timeout: ioTimeoutMs,
    });
    client = c;
    c.on('error', (err) => lost(err));
    c.on('end', () => {
      if (client === c) lost(new Error('connection ended'));
    });
    c.on('notification', (msg) => {
      if (msg.channel !== ROW_CHANGES_CHANNEL) return;
      if (msg.payload?.startsWith(`${options.schema}:${PROBE}:`))
        return probes.get(msg.payload.slice(options.schema.length + PROBE.length + 2))?.();
      const change = parseRowChange(msg.payload, options.schema);
      if (change) emit(change);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${ROW_CHANGES_CHANNEL}`);
      // Listening is believed only once an announcement made here has come back.
      await probe(c);
    } catch (err) {
      if (client === c) lost(err);
      throw err;
    }
    if (closed || client !== c) return;
    listening = true;
    delay = baseDelay;
    clearInterval(heartbeat);
    heartbeat = setInterval(beat, heartbeatMs);
    heartbeat.unref();
    options.logger?.debug('change feed listening');
  }

  return {
    get listening() {
      return listening;
    },
    get backendPid() {
      return (client as { processID?: number } | undefined)?.processID ?? null;
    },
    start: () => connect(),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      await hangUp();
    },
  };
}
