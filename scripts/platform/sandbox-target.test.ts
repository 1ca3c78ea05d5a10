import { describe, expect, it } from 'vitest';
import { sandboxDatabaseUrl, sandboxQueuePrefix } from './sandbox-target.js';

describe('the sandbox never shares live mode data', () => {
  it('uses the database vpn_sandbox next to vpn, with the same server and credentials', () => {
    expect(sandboxDatabaseUrl('postgres://postgres@127.0.0.1:5432/vpn')).toBe('postgres://postgres@127.0.0.1:5432/vpn_sandbox');
    expect(sandboxDatabaseUrl('postgres://u:p%40ss@db:6432/shop?sslmode=disable')).toBe(
      'postgres://u:p%40ss@db:6432/shop_sandbox?sslmode=disable',
    );
    expect(sandboxDatabaseUrl('postgres://postgres@127.0.0.1:5432/vpn_sandbox')).toBe('postgres://postgres@127.0.0.1:5432/vpn_sandbox');
  });
  it('uses a Redis prefix of its own', () => {
    expect(sandboxQueuePrefix('vpn')).toBe('vpn-sandbox');
    expect(sandboxQueuePrefix('vpn-sandbox')).toBe('vpn-sandbox');
  });
});
