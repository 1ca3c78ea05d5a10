/** The fields of a `servers` row placement looks at. */
export interface PlacementCandidate {
  id: number;
  countryCode: string | null;
  active: boolean;
  weight: number;
  capacity: number | null;
  usersCount: number;
  healthStatus: 'unknown' | 'healthy' | 'degraded' | 'down';
}

export interface PlacementOptions {
  /** ISO 3166 alpha-2; servers in this country are preferred. */
  countryCode?: string | null;
  /** Only that country (no fallback to others). */
  strictCountry?: boolean;
  excludeServerIds?: number[];
  /** Servers whose circuit is open are skipped. */
  isCircuitOpen?: (serverId: number) => boolean;
}

const HEALTH_RANK = { healthy: 0, unknown: 1, degraded: 2, down: 3 } as const;

/** Whether a server may take a new account at all. Weight 0 drains a server: no new users. */
export function canTakeUsers(s: PlacementCandidate, options: PlacementOptions = {}): boolean {
  return (
    s.active &&
    s.weight > 0 &&
    s.healthStatus !== 'down' &&
    (s.capacity === null || s.usersCount < s.capacity) &&
    !(options.excludeServerIds ?? []).includes(s.id) &&
    !(options.isCircuitOpen?.(s.id) ?? false)
  );
}

/**
 * Orders the servers that can take a user, best first: the requested country, then the
 * healthiest, then the least loaded relative to its weight (weighted least-connections: a server
 * of weight 2 takes twice the users of one of weight 1), then the most free capacity, then id.
 */
export function rankServers<T extends PlacementCandidate>(servers: readonly T[], options: PlacementOptions = {}): T[] {
  const country = options.countryCode?.toUpperCase() ?? null;
  const inCountry = (s: T): boolean => country !== null && s.countryCode?.toUpperCase() === country;
  let pool = servers.filter((s) => canTakeUsers(s, options));
  if (country !== null && options.strictCountry) pool = pool.filter(inCountry);
  const free = (s: T): number => (s.capacity === null ? Number.MAX_SAFE_INTEGER : s.capacity - s.usersCount);
  return [...pool].sort(
    (a, b) =>
      Number(inCountry(b)) - Number(inCountry(a)) ||
      HEALTH_RANK[a.healthStatus] - HEALTH_RANK[b.healthStatus] ||
      a.usersCount / a.weight - b.usersCount / b.weight ||
      free(b) - free(a) ||
      a.id - b.id,
  );
}

/** The best server for a new account, or null when none can take one. */
export function chooseServer<T extends PlacementCandidate>(servers: readonly T[], options: PlacementOptions = {}): T | null {
  return rankServers(servers, options)[0] ?? null;
}

/**
 * Where the customers of a down server may move: the best healthy server that can take an account,
 * never the down one; null when none can. The outage notice offers the move only then, and the
 * customer's press moves them to this server as it is at the press.
 */
export function outageMoveTarget<T extends PlacementCandidate>(servers: readonly T[], downServerId: number): T | null {
  return (
    rankServers(
      servers.filter((s) => s.healthStatus === 'healthy'),
      { excludeServerIds: [downServerId] },
    )[0] ?? null
  );
}
