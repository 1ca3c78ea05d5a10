/** One Bot API call as the emulator answered it (uploaded bytes are not kept here). */
export interface CallRecord {
  at: number;
  botId: number;
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  errorCode?: number;
  description?: string;
}

const KEEP = 5_000;

/** The recent Bot API calls, so tests can assert what a bot asked for (e.g. `sendChatAction`). */
export class CallLog {
  private calls: CallRecord[] = [];

  add(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > KEEP) this.calls = this.calls.slice(-KEEP / 2);
  }

  list(filter: { botId?: number; method?: string } = {}): CallRecord[] {
    const method = filter.method?.toLowerCase();
    return this.calls.filter(
      (c) => (filter.botId === undefined || c.botId === filter.botId) && (method === undefined || c.method.toLowerCase() === method),
    );
  }

  clear(): void {
    this.calls = [];
  }
}
