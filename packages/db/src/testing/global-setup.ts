import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { dropSchemas, ensureDatabase, TEST_SCHEMA_PREFIX, testDatabaseUrl } from './pg-admin.js';

const STALE_AFTER_MS = 12 * 60 * 60 * 1000;

/** Schemas of runs that crashed before their teardown: the run id starts with a base36 timestamp. */
function isStale(schema: string): boolean {
  const stamp = /^vt_([0-9a-z]{8,9})[0-9a-z]{4}_/.exec(schema)?.[1];
  return stamp !== undefined && Date.now() - parseInt(stamp, 36) > STALE_AFTER_MS;
}

/**
 * vitest global setup (int and e2e projects): makes sure the test database exists, hands every
 * worker a run id, and on teardown drops the schemas this run created.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = testDatabaseUrl();
  await ensureDatabase(url);
  await dropSchemas(url, TEST_SCHEMA_PREFIX, isStale);
  const runId = Date.now().toString(36) + randomBytes(2).toString('hex');
  project.provide('vpnDbRunId', runId);
  return async () => {
    await dropSchemas(url, `${TEST_SCHEMA_PREFIX}${runId}_`);
  };
}
