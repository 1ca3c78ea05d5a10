/**
 * Injected failures: the next `times` calls of `method` (by one bot, or any) fail with a Bot API
 * error, lose the connection, or are delayed. Used to prove retries and error policies.
 */
export interface FaultSpec {
  /** Bot API method name (case-insensitive), or "*" for any method. */
  method: string;
  /** Token, username or id of the bot; any bot when absent. */
  bot?: string | number;
  /** How many calls to affect; default 1. */
  times?: number;
  /** Answer with this error instead of running the method. */
  error?: { code: number; description: string; retryAfter?: number };
  /** Network-level fault: destroy the socket without an answer, or delay before handling. */
  network?: { kind: 'drop' } | { kind: 'delay'; ms: number };
}

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
  botId?: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private counter = 0;

  add(spec: FaultSpec, botId: number | undefined): ActiveFault {
    const fault: ActiveFault = { ...spec, id: ++this.counter, remaining: spec.times ?? 1 };
    if (botId !== undefined) fault.botId = botId;
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one use of the first fault matching this call, if any. */
  take(botId: number, method: string): ActiveFault | undefined {
    const m = method.toLowerCase();
    const fault = this.faults.find(
      (f) => (f.method === '*' || f.method.toLowerCase() === m) && (f.botId === undefined || f.botId === botId),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  list(): ActiveFault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }
}
