import { describe, expect, it } from 'vitest';
import { chooseServer, rankServers, type PlacementCandidate } from './placement.js';

const server = (id: number, over: Partial<PlacementCandidate> = {}): PlacementCandidate => ({
  id,
  countryCode: 'NL',
  active: true,
  weight: 1,
  capacity: 100,
  usersCount: 0,
  healthStatus: 'healthy',
  ...over,
});

describe('placement', () => {
  it('skips inactive, drained, down, full and circuit-open servers', () => {
    const servers = [
      server(1, { active: false }),
      server(2, { weight: 0 }),
      server(3, { healthStatus: 'down' }),
      server(4, { capacity: 5, usersCount: 5 }),
      server(5),
      server(6),
    ];
    expect(rankServers(servers, { isCircuitOpen: (id) => id === 5 }).map((s) => s.id)).toEqual([6]);
    expect(chooseServer(servers.slice(0, 4))).toBeNull();
  });

  it('prefers healthy over unknown over degraded, then the least loaded by weight', () => {
    const servers = [
      server(1, { healthStatus: 'degraded', usersCount: 0 }),
      server(2, { healthStatus: 'unknown', usersCount: 0 }),
      server(3, { usersCount: 30, weight: 1 }),
      server(4, { usersCount: 50, weight: 2 }),
      server(5, { usersCount: 25, weight: 1, capacity: null }),
    ];
    // 4 and 5 carry the same load per weight (25): the one with more free room (unlimited) wins.
    expect(rankServers(servers).map((s) => s.id)).toEqual([5, 4, 3, 2, 1]);
  });

  it('prefers the requested country, falls back unless strict', () => {
    const servers = [server(1, { countryCode: 'DE', usersCount: 90 }), server(2, { countryCode: 'NL' })];
    expect(chooseServer(servers, { countryCode: 'de' })?.id).toBe(1);
    expect(chooseServer(servers, { countryCode: 'FI' })?.id).toBe(2);
    expect(chooseServer(servers, { countryCode: 'FI', strictCountry: true })).toBeNull();
    expect(chooseServer(servers, { excludeServerIds: [2] })?.id).toBe(1);
  });
});
