import { describe, expect, it } from 'vitest';
import { buildVlessLink, parseShareLink } from './share-links.js';
import { absoluteSubscriptionUrl } from './subscription-url.js';

describe('absoluteSubscriptionUrl', () => {
  it('puts the public origin (and its base path) in front of a relative Marzban URL', () => {
    expect(absoluteSubscriptionUrl('/sub/dGdf', 'https://panel.example.com')).toBe('https://panel.example.com/sub/dGdf');
    expect(absoluteSubscriptionUrl('/sub/dGdf', 'https://example.com/vpn/')).toBe('https://example.com/vpn/sub/dGdf');
    expect(absoluteSubscriptionUrl('sub/x', 'https://example.com:8443')).toBe('https://example.com:8443/sub/x');
  });

  it('keeps an absolute URL and maps nothing to null', () => {
    expect(absoluteSubscriptionUrl('https://sub.example.com/sub/x', 'https://other')).toBe('https://sub.example.com/sub/x');
    expect(absoluteSubscriptionUrl('', 'https://x')).toBeNull();
    expect(absoluteSubscriptionUrl(null, 'https://x')).toBeNull();
  });
});

describe('buildVlessLink', () => {
  it('builds a VLESS TCP REALITY vision link clients import', () => {
    const link = buildVlessLink({
      uuid: '6f0f1c1e-1111-4222-8333-444455556666',
      host: 'de1.example.com',
      port: 443,
      remark: 'Germany #1',
      flow: 'xtls-rprx-vision',
      reality: { publicKey: 'PBK', serverName: 'www.google.com', shortId: 'ab12', spiderX: '/' },
    });
    expect(link).toBe(
      'vless://6f0f1c1e-1111-4222-8333-444455556666@de1.example.com:443?type=tcp&encryption=none&security=reality&pbk=PBK&fp=chrome&sni=www.google.com&sid=ab12&spx=%2F&flow=xtls-rprx-vision#Germany%20%231',
    );
    expect(parseShareLink(link)).toEqual({
      scheme: 'vless',
      user: '6f0f1c1e-1111-4222-8333-444455556666',
      host: 'de1.example.com',
      port: 443,
      remark: 'Germany #1',
    });
  });

  it('brackets IPv6 hosts and supports plain TLS', () => {
    const link = buildVlessLink({ uuid: 'u', host: '2001:db8::1', port: 8443, remark: 'v6', tlsServerName: 'x.example' });
    expect(link).toMatch(/^vless:\/\/u@\[2001:db8::1\]:8443\?type=tcp&encryption=none&security=tls&sni=x\.example#v6$/);
    expect(parseShareLink(link)?.host).toBe('2001:db8::1');
    expect(parseShareLink('not a link')).toBeNull();
  });
});
