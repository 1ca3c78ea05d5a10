/**
 * Fault injection shared by every panel emulator. Each rule applies to the next N requests that
 * match (all requests when no matcher is given) and is used up as it fires.
 */

/** `"POST /api/user"` (exact method and path), a RegExp on `"METHOD /path"`, or a predicate. */
export type RequestMatcher = string | RegExp | ((req: { method: string; path: string }) => boolean);

export type DropMode = 'hang' | 'reset';

export interface FaultRule {
  kind: 'fail' | 'delay' | 'drop';
  remaining: number;
  match?: RequestMatcher;
  status?: number;
  body?: string;
  delayMs?: number;
  mode?: DropMode;
}

/** Control surface for faults, exposed by every emulator as `emulator.faults`. */
export interface FaultInjector {
  /** The next `count` matching requests answer `status` (default 503) without touching state. */
  failNext(count: number, options?: { status?: number; body?: string; match?: RequestMatcher }): void;
  /** The next `count` matching requests wait `ms` before being handled (a slow panel; a client timeout then races the apply). */
  delayNext(count: number, ms: number, options?: { match?: RequestMatcher }): void;
  /**
   * The next `count` matching requests are APPLIED, then the answer never arrives: `hang` keeps
   * the socket open (the client times out), `reset` destroys it (the client sees a network error).
   * This is the "saved but the response was lost" fault.
   */
  dropResponseNext(count: number, options?: { mode?: DropMode; match?: RequestMatcher }): void;
  /** While true, every connection is destroyed on arrival (the panel is down). */
  setUnavailable(down: boolean): void;
  readonly unavailable: boolean;
  /** Removes every pending rule and brings the panel back up. */
  clear(): void;
  /** Internal: takes the rules that fire for this request (used by the emulator server). */
  take(method: string, path: string): { fail?: FaultRule; delay?: FaultRule; drop?: FaultRule };
}

export function matches(matcher: RequestMatcher | undefined, method: string, path: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return matcher === `${method} ${path}`;
  if (matcher instanceof RegExp) return matcher.test(`${method} ${path}`);
  return matcher({ method, path });
}

export function createFaultInjector(): FaultInjector {
  let rules: FaultRule[] = [];
  let down = false;

  function takeOne(kind: FaultRule['kind'], method: string, path: string): FaultRule | undefined {
    const rule = rules.find((r) => r.kind === kind && r.remaining > 0 && matches(r.match, method, path));
    if (!rule) return undefined;
    rule.remaining--;
    rules = rules.filter((r) => r.remaining > 0);
    return rule;
  }

  return {
    failNext(count, options = {}) {
      rules.push({ kind: 'fail', remaining: count, status: options.status ?? 503, body: options.body, match: options.match });
    },
    delayNext(count, ms, options = {}) {
      rules.push({ kind: 'delay', remaining: count, delayMs: ms, match: options.match });
    },
    dropResponseNext(count, options = {}) {
      rules.push({ kind: 'drop', remaining: count, mode: options.mode ?? 'hang', match: options.match });
    },
    setUnavailable(value) {
      down = value;
    },
    get unavailable() {
      return down;
    },
    clear() {
      rules = [];
      down = false;
    },
    take(method, path) {
      // A failed request is not handled at all, so it does not use up delay or drop rules.
      const fail = takeOne('fail', method, path);
      if (fail) return { fail };
      return { delay: takeOne('delay', method, path), drop: takeOne('drop', method, path) };
    },
  };
}
