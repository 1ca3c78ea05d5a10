import { ConfigError } from './load.js';

/**
 * Where operators see a bad environment (a terminal, `docker compose logs`): a ConfigError is
 * printed as its message alone, the list of every missing or invalid key with no stack and no
 * JSON escaping, and the process exits with code 1. Any other error is left to the caller.
 */
export function exitOnConfigError(error: unknown): void {
  if (!(error instanceof ConfigError)) return;
  // stderr is synchronous for files, pipes and terminals on Linux: the message is out before exit.
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

/** `load()` (a process's config loader), exiting readably when the environment is bad. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    exitOnConfigError(error);
    throw error;
  }
}
