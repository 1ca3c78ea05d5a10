/**
 * Start-up failures as an operator reads them: one message saying what is wrong and what to do,
 * never a stack trace or a JSON error object. Anything not recognised here is still reported in
 * one line (its message), with a pointer to the processes' own output above it.
 */

/** A failure the launcher explains itself; its message is the whole story. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

interface Targets {
  databaseUrl: string;
  redisUrl: string;
  /** The setting that names each port the launcher listens on, for "port taken" messages. */
  portKeys?: Record<number, string>;
}

const where = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
  } catch {
    return url;
  }
};
const userOf = (url: string): string => {
  try {
    return decodeURIComponent(new URL(url).username) || '(none)';
  } catch {
    return '(unknown)';
  }
};

export function explainStartupError(error: unknown, targets: Targets): string {
  if (error instanceof StartupError) return error.message;
  const e = error as { code?: string; message?: string; port?: number };
  const message = e.message ?? String(error);
  const pg = where(targets.databaseUrl);
  if (e.code === '28000' || /role ".*" does not exist/.test(message)) {
    return (
      `PostgreSQL at ${pg} has no user "${userOf(targets.databaseUrl)}" (${message}). Set DATABASE_URL (in .env or the ` +
      `environment) to a user that exists, e.g. postgres://postgres@127.0.0.1:5432/vpn, or create that role.`
    );
  }
  if (e.code === '28P01') {
    return `PostgreSQL at ${pg} refused the password of "${userOf(targets.databaseUrl)}". Fix the password in DATABASE_URL.`;
  }
  if (e.code === 'EADDRINUSE') return portTaken(e.port, targets.portKeys);
  return `${message} (the processes' own messages, if any, are above)`;
}

function portTaken(port: number | undefined, keys: Record<number, string> = {}): string {
  const key = port === undefined ? undefined : keys[port];
  return (
    `port ${port ?? '?'} on 127.0.0.1 is already in use (another \`npm start\` still running?). Stop what uses it` +
    (key ? `, or set ${key} to a free port.` : '.')
  );
}

/** Fails with a readable StartupError unless PostgreSQL answers `databaseUrl`'s server. */
export async function checkPostgres(databaseUrl: string, connect: (url: string) => Promise<void>): Promise<void> {
  try {
    await connect(databaseUrl);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
      throw new StartupError(
        `PostgreSQL is not reachable at ${where(databaseUrl)} (${e.code}). Start it (\`npm start\` starts a local ` +
          `PostgreSQL when this machine has one installed) or set DATABASE_URL to one that runs.`,
      );
    }
    // 3D000: the database itself is missing, which the launcher creates.
    if (e.code === '3D000') return;
    throw new StartupError(explainStartupError(error, { databaseUrl, redisUrl: '' }));
  }
}

/** Fails with a readable StartupError unless Redis answers PING at `redisUrl`. */
export async function checkRedis(redisUrl: string, ping: (url: string) => Promise<void>): Promise<void> {
  try {
    await ping(redisUrl);
  } catch (error) {
    const detail = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new StartupError(
      `Redis is not reachable at ${where(redisUrl)} (${detail}). Start it (\`npm start\` starts a local Redis when ` +
        `this machine has one installed) or set REDIS_URL to one that runs.`,
    );
  }
}
