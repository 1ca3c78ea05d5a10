import type { Logger } from '@vpn/logger';

type Signal = 'SIGINT' | 'SIGTERM';

/** Where signals come from: the process, or an emitter in tests. */
export interface SignalSource {
  on(event: Signal, listener: () => void): unknown;
  removeListener(event: Signal, listener: () => void): unknown;
}

export interface ShutdownOptions {
  /** The whole shutdown's budget; after it the process exits 1 anyway. Default 15 s. */
  timeoutMs?: number;
  /** Default SIGINT and SIGTERM. */
  signals?: readonly Signal[];
  /** Default `process`. */
  source?: SignalSource;
  /** Called with 0 after a clean shutdown, 1 after a failure or timeout. Default `process.exit`. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Registers a clean-up step; steps run once, in reverse order of registration (last opened, first closed). */
  onShutdown(name: string, fn: () => void | Promise<void>): void;
  /** Runs the steps (once, however often it is called or signalled), then `exit`. */
  shutdown(reason: string): Promise<void>;
  /**
   * Something the process lives for ended without being asked (polling given up, a server
   * closed): logged as fatal, the steps run as for a signal, and the process exits 1 even when
   * they all succeed, so its supervisor restarts it.
   */
  fail(reason: string, err?: unknown): Promise<void>;
  readonly isShuttingDown: boolean;
}

/**
 * A once-only graceful shutdown for one process: listens for SIGINT/SIGTERM once, runs the
 * registered steps in reverse order (stop taking updates and drain them, then close queues, then
 * databases), each failure logged without skipping the rest, all within `timeoutMs`. A second
 * signal while shutting down (the same one again, as a second Ctrl+C, or the other) exits 1 at
 * once with a log line: the listeners stay until the end, so Node's default never kills it silently.
 */
export function createShutdown(logger: Logger, options: ShutdownOptions = {}): Shutdown {
  const steps: { name: string; fn: () => void | Promise<void> }[] = [];
  const source = options.source ?? process;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 15_000;
  let running: Promise<void> | undefined;
  let failed = false;

  const onSignal = (signal: Signal) => () => {
    if (running) {
      logger.warn({ signal }, 'second signal during shutdown, exiting now');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  const listeners = signals.map((signal) => [signal, onSignal(signal)] as const);
  // `on`, not `once`: with `once` a repeated SIGINT would find no listener and Node would kill the
  // process by default, unlogged, with the shutdown half done.
  for (const [signal, listener] of listeners) source.on(signal, listener);

  async function runSteps(): Promise<boolean> {
    let ok = true;
    for (const step of [...steps].reverse()) {
      try {
        await step.fn();
        logger.debug({ step: step.name }, 'shutdown step done');
      } catch (err) {
        ok = false;
        logger.error({ err, step: step.name }, 'shutdown step failed');
      }
    }
    return ok;
  }

  function shutdown(reason: string): Promise<void> {
    running ??= (async () => {
      logger.info({ reason }, 'shutting down');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const result = await Promise.race([runSteps(), timedOut]);
      clearTimeout(timer);
      for (const [signal, listener] of listeners) source.removeListener(signal, listener);
      if (result === 'timeout') logger.error({ timeout_ms: timeoutMs }, 'shutdown timed out');
      else logger.info('shut down');
      exit(result === true && !failed ? 0 : 1);
    })();
    return running;
  }

  function fail(reason: string, err?: unknown): Promise<void> {
    logger.fatal({ err, reason }, 'stopped without being asked, exiting non-zero');
    failed = true;
    return shutdown(reason);
  }

  return {
    onShutdown: (name, fn) => void steps.push({ name, fn }),
    shutdown,
    fail,
    get isShuttingDown() {
      return running !== undefined;
    },
  };
}
