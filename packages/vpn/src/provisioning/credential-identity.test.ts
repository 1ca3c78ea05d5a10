import { describe, expect, it } from 'vitest';
import { renderRealityVlessLink } from '../testing/marzban/reality-render.js';
import { credentialIdentity, linkCredential } from './credential-identity.js';

const UUID = '6f0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const render = (uuid = UUID) => renderRealityVlessLink({ uuid, flow: 'xtls-rprx-vision', host: 'vpn.example.com', port: 443, remark: 'r' });

describe('credentialIdentity', () => {
  it('ignores the short id and SNI Marzban picks at random per render', () => {
    const links = Array.from({ length: 20 }, () => render());
    expect(new Set(links).size).toBeGreaterThan(1);
    expect(new Set(links.map(linkCredential))).toEqual(new Set([`vless:${UUID}`]));
    const a = credentialIdentity('marzban', { panelId: 'u', subscriptionUrl: 'https://p/sub/a', links: [links[0]!] });
    const b = credentialIdentity('marzban', { panelId: 'u', subscriptionUrl: 'https://p/sub/b', links: [links[1]!] });
    expect(a).toBe(b);
  });

  it('changes when the UUID changes (a revoke)', () => {
    const a = credentialIdentity('marzban', { panelId: 'u', subscriptionUrl: null, links: [render()] });
    const b = credentialIdentity('marzban', {
      panelId: 'u',
      subscriptionUrl: null,
      links: [render('11111111-2222-4333-8444-555555555555')],
    });
    expect(a).not.toBe(b);
  });

  it('keeps a stable subscription token (Remnawave short id, 3x-ui subId) as identity', () => {
    const a = credentialIdentity('remnawave', { panelId: 'u', subscriptionUrl: 'https://p/api/sub/abc', links: [] });
    expect(credentialIdentity('remnawave', { panelId: 'u', subscriptionUrl: 'https://p/api/sub/abc', links: [] })).toBe(a);
    expect(credentialIdentity('remnawave', { panelId: 'u', subscriptionUrl: 'https://p/api/sub/xyz', links: [] })).not.toBe(a);
  });

  it('reads the credential of trojan, ss and vmess links', () => {
    expect(linkCredential('trojan://p%40ss@h:443?sni=a.com#x')).toBe('trojan:p@ss');
    expect(linkCredential('ss://Y2hhY2hhMjA6cHc=@h:8388#x')).toBe('ss:Y2hhY2hhMjA6cHc=');
    const vmess = (sni: string) => `vmess://${Buffer.from(JSON.stringify({ id: UUID, sni })).toString('base64')}`;
    expect(linkCredential(vmess('a.com'))).toBe(linkCredential(vmess('b.com')));
  });

  it('takes the WireGuard private key, not the rest of the config', () => {
    const conf = (key: string, dns: string) => `[Interface]\nPrivateKey = ${key}\nDNS = ${dns}\n`;
    const id = (c: string) => credentialIdentity('wg-easy', { panelId: '1', subscriptionUrl: null, links: [], wireguardConfig: c });
    expect(id(conf('k1', '1.1.1.1'))).toBe(id(conf('k1', '8.8.8.8')));
    expect(id(conf('k1', '1.1.1.1'))).not.toBe(id(conf('k2', '1.1.1.1')));
  });
});
