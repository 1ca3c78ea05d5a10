import type { Logger } from '@vpn/logger';
import pg from 'pg';

/** The channel the `notify_row_change` trigger announces on (migration 202612061000). */
export const ROW_CHANGES_CHANNEL = 'row_changes';

/** Tables whose committed changes are announced, and what the key of an announcement is. */
export interface RowChangeKeys {
  /** A subscription of this user changed (inserted, updated, deleted). */
  subscriptions: number;
  /** A VPN account of this subscription changed. */
  vpn_accounts: number;
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

const TABLES: ReadonlySet<string> = new Set<ChangedTable>(['subscriptions', 'vpn_accounts']);

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
    await c?.end().catch(() => undefined);
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

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: options.url, application_name: 'vpn-change-feed' });
    client = c;
    c.on('error', (err) => lost(err));
    c.on('end', () => {
      if (client === c) lost(new Error('connection ended'));
    });
    c.on('notification', (msg) => {
      if (msg.channel !== ROW_CHANGES_CHANNEL) return;
      const change = parseRowChange(msg.payload, options.schema);
      if (change) emit(change);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${ROW_CHANGES_CHANNEL}`);
    } catch (err) {
      if (client === c) lost(err);
      throw err;
    }
    if (closed || client !== c) return;
    listening = true;
    delay = baseDelay;
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
      await hangUp();
    },
  };
}
