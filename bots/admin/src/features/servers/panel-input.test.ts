import { describe, expect, it } from 'vitest';
import { flag, parseCredentials, parseSettings } from './panel-input.js';

describe('panel input', () => {
  it('reads settings per kind and names the field it refuses', () => {
    expect(parseSettings('marzban', 'VLESS TCP REALITY, VMESS', 'https://p')).toEqual({
      ok: true,
      value: { subscriptionBaseUrl: 'https://p', inbounds: { vless: ['VLESS TCP REALITY', 'VMESS'] } },
    });
    expect(parseSettings('marzban', '-', 'https://p')).toEqual({ ok: true, value: { subscriptionBaseUrl: 'https://p' } });
    expect(parseSettings('3x-ui', '3 https://sub.example/sub', 'https://p')).toEqual({
      ok: true,
      value: { inboundId: 3, subscriptionBaseUrl: 'https://sub.example/sub' },
    });
    expect(parseSettings('3x-ui', 'x https://sub', 'https://p')).toMatchObject({ ok: false, error: { field: 'inboundId' } });
    expect(parseSettings('3x-ui', '3 ftp://x', 'https://p')).toMatchObject({ ok: false, error: { field: 'subscriptionBaseUrl' } });
    expect(parseSettings('pasarguard', '1,2', 'https://p')).toMatchObject({ ok: true, value: { groupIds: [1, 2] } });
    expect(parseSettings('pasarguard', '1,a', 'https://p')).toMatchObject({ ok: false, error: { field: 'groupIds' } });
    expect(parseSettings('remnawave', 'x'.repeat(501), 'https://p')).toMatchObject({
      ok: false,
      error: { field: 'settings', details: { max: 500 } },
    });
  });

  it('reads credentials as a login pair or a token where the panel takes one', () => {
    expect(parseCredentials('marzban', ' admin  s3cret ')).toEqual({ ok: true, value: { username: 'admin', password: 's3cret' } });
    expect(parseCredentials('marzban', 'token-only')).toMatchObject({ ok: false, error: { field: 'credentials' } });
    expect(parseCredentials('remnawave', 'tok')).toEqual({ ok: true, value: { apiToken: 'tok' } });
    expect(parseCredentials('remnawave', 'a b')).toMatchObject({ ok: false });
    expect(parseCredentials('pasarguard', 'key')).toEqual({ ok: true, value: { apiKey: 'key' } });
    expect(parseCredentials('3x-ui', 'u p')).toEqual({ ok: true, value: { username: 'u', password: 'p' } });
  });

  it('draws a flag from a country code', () => {
    expect(flag('NL')).toBe('🇳🇱');
    expect(flag(null)).toBe('🌐');
    expect(flag('nl1')).toBe('🌐');
  });
});
