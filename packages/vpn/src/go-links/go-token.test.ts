import { describe, expect, it } from 'vitest';
import { buildDeepLink, CLIENT_APP_IDS } from './client-apps.js';
import { createGoTokens, type GoLink } from './go-token.js';

const SECRET = 's'.repeat(40);
const tokens = createGoTokens(SECRET);
const url = 'https://sub.example.com/sub/dnBuX3MxMjMsMTc2NDg3Mzg0Mg9f3k2LmQ1a?x=1&y=2';
const link = (over: Partial<GoLink> = {}): GoLink => ({
  app: 'happ',
  url,
  name: 'My VPN',
  lang: 'ru',
  expiresAt: new Date(Date.now() + 3_600_000),
  ...over,
});

/** Every way a reader could try to decode a token without the key. */
function decodings(token: string): string[] {
  const out = [token, decodeURIComponent(token)];
  for (const enc of ['base64url', 'base64', 'hex'] as const)
    out.push(Buffer.from(token, enc).toString('utf8'), Buffer.from(token, enc).toString('latin1'));
  // Any suffix after a header of up to 40 bytes, as base64url.
  for (let skip = 1; skip <= 40; skip++) out.push(Buffer.from(token, 'base64url').subarray(skip).toString('utf8'));
  return out;
}

describe('go link tokens (AES-256-GCM, key from GO_LINK_SECRET by HKDF)', () => {
  it('carries the key version and the bot, sealed like the rest', () => {
    const sealed = tokens.sign(link({ key: { account: 42, version: 3 }, bot: 'my_vpn_bot' }));
    expect(tokens.verify(sealed)).toMatchObject({ key: { account: 42, version: 3 }, bot: 'my_vpn_bot' });
    expect(tokens.verify(tokens.sign(link()))).not.toHaveProperty('key');
    expect(() => tokens.sign(link({ bot: 'x y' }))).toThrow();
    expect(() => tokens.sign(link({ key: { account: -1, version: 0 } }))).toThrow();
  });

  it('opens what it sealed, expiry included', () => {
    const sealed = tokens.sign(link());
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(tokens.verify(sealed)).toEqual({ ...link(), expiresAt: new Date(Math.floor(link().expiresAt.getTime() / 1000) * 1000) });
  });

  it('the token does not carry the URL, its token or the app in any decodable form, and differs every time', () => {
    const a = tokens.sign(link());
    const b = tokens.sign(link());
    expect(a).not.toBe(b);
    for (const text of decodings(a)) {
      expect(text).not.toContain('sub.example.com');
      expect(text).not.toContain('dnBuX3MxMjMs');
      expect(text).not.toContain('happ');
      expect(text).not.toContain('"u"');
    }
  });

  it('refuses a token tampered anywhere, truncated, sealed with another secret, of another version, or expired', () => {
    const sealed = Buffer.from(tokens.sign(link()), 'base64url');
    for (let i = 0; i < sealed.length; i++) {
      const copy = Buffer.from(sealed);
      copy[i]! ^= 0x40;
      expect(tokens.verify(copy.toString('base64url'))).toBeNull();
    }
    expect(tokens.verify(sealed.subarray(0, sealed.length - 1).toString('base64url'))).toBeNull();
    expect(createGoTokens('t'.repeat(40)).verify(sealed.toString('base64url'))).toBeNull();
    expect(tokens.verify(tokens.sign(link({ expiresAt: new Date(Date.now() - 1_000) })))).toBeNull();
    const later = tokens.sign(link({ expiresAt: new Date(Date.now() + 60_000) }));
    expect(tokens.verify(later, new Date(Date.now() + 61_000))).toBeNull();
    for (const junk of ['', 'garbage', 'a.b', '%00', 'A'.repeat(5_000)]) expect(tokens.verify(junk)).toBeNull();
  });

  it('seals only allow-listed apps and http(s) subscription URLs; deep links use only known schemes', () => {
    expect(() => tokens.sign(link({ app: 'evil' as never }))).toThrow();
    expect(() => tokens.sign(link({ url: 'javascript:alert(1)' }))).toThrow();
    for (const app of CLIENT_APP_IDS) {
      const deep = buildDeepLink(app, url, 'VPN');
      expect(deep.startsWith(`${app}://`) || deep.startsWith('clash://')).toBe(true);
    }
  });
});
