import { describe, expect, it } from 'vitest';
import { parseWireGuardConfig, wireGuardConfigProblems } from './wg-conf.js';

const KEY_A = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const KEY_B = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';

const good = `[Interface]
PrivateKey = ${KEY_A}
Address = 10.8.0.2/32, fdcc:ad94:bacf:61a4::cafe:2/128
MTU = 1420
DNS = 1.1.1.1, 8.8.8.8

[Peer]
PublicKey = ${KEY_B}
PresharedKey = ${KEY_A}
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 0
Endpoint = vpn.example.com:51820
`;

describe('WireGuard .conf checks', () => {
  it('accepts a wg-easy style config and reads its sections', () => {
    expect(wireGuardConfigProblems(good)).toEqual([]);
    const parsed = parseWireGuardConfig(good);
    expect(parsed.interface).toMatchObject({ PrivateKey: KEY_A, DNS: '1.1.1.1, 8.8.8.8' });
    expect(parsed.peers).toEqual([expect.objectContaining({ PublicKey: KEY_B, Endpoint: 'vpn.example.com:51820' })]);
  });

  it('names each thing that would stop a client from connecting', () => {
    const broken = good
      .replace(`PrivateKey = ${KEY_A}`, 'PrivateKey = not-a-key')
      .replace('Address = 10.8.0.2/32, fdcc:ad94:bacf:61a4::cafe:2/128', 'Address = 10.8.0.2')
      .replace('Endpoint = vpn.example.com:51820', 'Endpoint = vpn.example.com')
      .replace('AllowedIPs = 0.0.0.0/0, ::/0', 'AllowedIPs = everything');
    expect(wireGuardConfigProblems(broken)).toEqual([
      '[Interface] PrivateKey is missing or not a WireGuard key',
      '[Interface] Address must be CIDR addresses',
      '[Peer] AllowedIPs must be CIDR ranges',
      '[Peer] Endpoint must be host:port',
    ]);
    expect(wireGuardConfigProblems('PrivateKey = x')[0]).toMatch(/line 1/);
    expect(wireGuardConfigProblems(good.split('[Peer]')[0]!)).toContain('expected exactly one [Peer], found 0');
  });
});
