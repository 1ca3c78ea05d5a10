/**
 * A sandbox as `npm start` runs it (the emulators on fixed ports, the platform's processes), on
 * this vitest worker's schema and a queue prefix of its own, for tests of what the README
 * promises the sandbox does. It can be restarted with its data kept, like `npm start` twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, readEnv, redisSchema, type Env } from '@vpn/config';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '@vpn/db/testing';
import { Redis } from 'ioredis';
import { startOutsideWorld, type OutsideWorld, type SandboxProvider } from '../outside-world.js';
import { startPlatform, type Platform } from '../platform.js';

export interface SandboxPorts {
  telegramPort: number;
  panelPort: number;
  yookassaPort: number;
  webhooksPort: number;
  cryptopayPort?: number;
  wataPort?: number;
  heleketPort?: number;
  plategaPort?: number;
  xrocketPort?: number;
  severpayPort?: number;
}

export interface SandboxHarness {
  world: OutsideWorld;
  platform: Platform;
  db: TestDatabase;
  /** The sandbox data dir (encryption key, panel state, chat files). */
  dataDir: string;
  logDir: string;
  /** Stops everything and starts it again on the same ports, data and database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxHarness(
  name: string,
  ports: SandboxPorts,
  options: { providers?: readonly SandboxProvider[]; extraEnv?: Env } = {},
): Promise<SandboxHarness> {
  const db = await createTestDatabase();
  await db.truncateAll();
  const redisUrl = loadConfig(redisSchema).REDIS_URL;
  const queuePrefix = `t_i18_${name}_${randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), `i18-${name}-`));
  const logDir = join(dataDir, 'logs');
  const up = async (): Promise<{ world: OutsideWorld; platform: Platform }> => {
    const world = await startOutsideWorld({
      ...ports,
      ...(options.providers ? { providers: options.providers } : {}),
      stateDir: dataDir,
      telegramRateLimits: false,
    });
    const platform = await startPlatform({
      databaseUrl: db.url,
      schema: db.schema,
      redisUrl,
      queuePrefix,
      encryptionKey: TEST_ENCRYPTION_KEY,
      world,
      webhooksPort: ports.webhooksPort,
      logLevel: 'info',
      baseEnv: readEnv(),
      ...(options.extraEnv ? { extraEnv: options.extraEnv } : {}),
      output: (service) => ({ mode: { file: join(logDir, `${service}.log`) } }),
    }).catch(async (error: unknown) => {
      await world.close();
      throw error;
    });
    return { world, platform };
  };
  const harness: SandboxHarness = {
    ...(await up()),
    db,
    dataDir,
    logDir,
    async restart() {
      await harness.platform.stop();
      await harness.world.close();
      Object.assign(harness, await up());
    },
    async close() {
      await harness.platform.stop();
      await harness.world.close();
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`${queuePrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await db.close();
    },
  };
  return harness;
}
