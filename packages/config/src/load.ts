import type { z } from 'zod';
import { dotEnvCandidates, isTestProcess, loadDotEnv } from './dotenv.js';

/** Thrown when the environment does not satisfy a schema; the message lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

let dotEnvChecked = false;

/**
 * The only place the process environment is read. Everything else receives parsed config.
 * On the first call outside tests, a `.env` in the working directory or at the workspace root
 * fills in what the real environment does not set (so `npm start` with a filled `.env` runs
 * against the real Telegram). Empty strings count as "not set" so that `KEY=` falls back to the default.
 */
export function readEnv(): Env {
  if (!dotEnvChecked) {
    dotEnvChecked = true;
    if (!isTestProcess(process.env)) loadDotEnv(dotEnvCandidates(process.cwd()), process.env);
  }
  const out: Env = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** Parses `env` with `schema`, failing fast with one readable error listing every bad key. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = readEnv()): z.output<S> {
  const cleaned: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const missing = issue.code === 'invalid_type' && cleaned[key] === undefined;
      return missing ? `${key}: is required but not set` : `${key}: ${issue.message}`;
    }),
  );
}
