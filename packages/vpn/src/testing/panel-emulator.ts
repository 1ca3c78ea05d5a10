import type { FaultInjector, RequestMatcher } from './faults.js';
import type { RecordedRequest } from './emulator-server.js';

/**
 * What every panel emulator offers tests, in-process (no control HTTP API needed). Keys are the
 * panel's user key as our adapters use it (Marzban username, 3x-ui email, Remnawave username,
 * wg-easy client name).
 */
export interface PanelEmulator {
  /** Base URL to give the adapter (includes a 3x-ui web base path). */
  readonly url: string;
  readonly faults: FaultInjector;
  readonly requests: readonly RecordedRequest[];
  countRequests(match?: RequestMatcher): number;
  /** How many accounts the panel holds — "never a second account" assertions. */
  userCount(): number;
  userKeys(): string[];
  /** Sets a user's used traffic in bytes (as if the customer had used it). */
  setUsedTraffic(key: string, bytes: number): void;
  /** The version string the panel reports from now on. */
  setVersion(version: string): void;
  /** Makes every issued token/session invalid, as if it had expired. */
  expireSessions(): void;
  /** A panel restart: state kept; sessions lost where the real panel loses them. */
  restart(): void;
  /**
   * The panel's accounts as plain JSON, which the emulator's `state` option takes back: the
   * sandbox keeps them in a file so customers' links outlive a restart, as a real panel's do. Kinds
   * without it start empty.
   */
  saveState?(): unknown;
  /** Successful logins so far. */
  loginCount(): number;
  close(): Promise<void>;
}
