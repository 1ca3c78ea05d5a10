import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '@vpn/i18n';
import { createGoTokens } from '@vpn/vpn/go-links';
import { appWithout, serve, type Served } from '../testing/serve.js';

// One behaviour: a signed token opens its allow-listed app; anything else opens nothing.
const tokens = createGoTokens('k'.repeat(40));
/** Key versions by account id, as the database holds them (reissues completed). */
const versions = new Map<number, number>([[7, 2]]);
let served: Served;
beforeAll(async () => {
  served = await serve(appWithout({ goLinks: { tokens, i18n: createI18n(), keyVersion: async (id) => versions.get(id) ?? null } }));
});
afterAll(() => served.close());

const inAnHour = () => new Date(Date.now() + 3_600_000);
const sub = 'https://sub.example.com/sub/abc?x=1&y=2';

describe('GET /go/:token', () => {
  it('serves a page whose button opens the app with the subscription (query-style apps get it encoded)', async () => {
    const token = tokens.sign({ app: 'v2rayng', url: sub, name: 'My VPN', lang: 'en', expiresAt: inAnHour() });
    const res = await fetch(`${served.url}/go/${token}`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(`href="v2rayng://install-config?url=${encodeURIComponent(sub)}#My%20VPN"`);
    expect(html).toContain('Open in v2rayNG');
  });

  it('path-style apps get the raw URL, and the page speaks the token language', async () => {
    const token = tokens.sign({ app: 'happ', url: sub, name: 'VPN', lang: 'ru', expiresAt: inAnHour() });
    const html = await (await fetch(`${served.url}/go/${token}`)).text();
    expect(html).toContain('href="happ://add/https://sub.example.com/sub/abc?x=1&#38;y=2"');
    expect(html).toContain('Открыть в Happ');
  });

  it('refuses a token sealed with another key, a tampered one, an expired one and garbage, without any redirect', async () => {
    const foreign = createGoTokens('z'.repeat(40)).sign({ app: 'happ', url: sub, name: 'VPN', lang: 'en', expiresAt: inAnHour() });
    const expired = tokens.sign({ app: 'happ', url: sub, name: 'VPN', lang: 'en', expiresAt: new Date(Date.now() - 1_000) });
    const good = Buffer.from(tokens.sign({ app: 'happ', url: sub, name: 'VPN', lang: 'en', expiresAt: inAnHour() }), 'base64url');
    good[good.length - 3]! ^= 0x01;
    const tampered = good.toString('base64url');
    for (const token of [foreign, expired, tampered, 'garbage', `${tampered}.x`]) {
      const res = await fetch(`${served.url}/go/${token}`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      const html = await res.text();
      expect(html).not.toContain('happ://');
      expect(html).not.toContain('location.href');
    }
  });

  it('a link to a key a reissue replaced gets a page saying so, with a button back to the bot, and no app link', async () => {
    const at = (version: number, account = 7) =>
      tokens.sign({
        app: 'happ',
        url: sub,
        name: 'VPN',
        lang: 'en',
        expiresAt: inAnHour(),
        key: { account, version },
        bot: 'vpn_shop_bot',
      });
    const current = await fetch(`${served.url}/go/${at(2)}`, { redirect: 'manual' });
    expect(current.status).toBe(200);
    expect(await current.text()).toContain('happ://');
    for (const token of [at(1), at(0, 99)]) {
      const res = await fetch(`${served.url}/go/${token}`, { redirect: 'manual' });
      expect(res.status).toBe(410);
      const html = await res.text();
      expect(html).not.toContain('happ://');
      expect(html).not.toContain('sub.example.com');
      expect(html).toContain('href="https://t.me/vpn_shop_bot"');
      expect(html).toContain('This key was replaced');
    }
  });

  it('never seals a link to an app outside the allow-list or a non-http subscription', () => {
    expect(() => tokens.sign({ app: 'javascript' as never, url: sub, name: 'x', lang: 'en', expiresAt: inAnHour() })).toThrow();
    expect(() => tokens.sign({ app: 'happ', url: 'ftp://sub.example.com/x', name: 'x', lang: 'en', expiresAt: inAnHour() })).toThrow();
  });
});
