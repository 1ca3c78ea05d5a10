import { describe, expect, it } from 'vitest';
import { createIpAllowList } from './ip-allow-list.js';
import { YOOKASSA_NOTIFICATION_IPS } from './providers/yookassa/yookassa.ips.js';

describe('createIpAllowList', () => {
  const list = createIpAllowList(YOOKASSA_NOTIFICATION_IPS);

  it.each([
    '185.71.76.0',
    '185.71.76.31',
    '185.71.77.5',
    '77.75.153.127',
    '77.75.156.11',
    '77.75.156.35',
    '77.75.154.200',
    '::ffff:185.71.76.10',
    '2a02:5180:0:1509::1',
    '2a02:5180:0:2655:ffff:ffff:ffff:ffff',
    '2A02:5180:0:1533:0:0:0:7',
    '[2a02:5180:0:2669::abcd]',
  ])('allows %s from the published YooKassa ranges', (ip) => {
    expect(list.has(ip)).toBe(true);
  });

  it.each([
    '185.71.76.32',
    '185.71.78.1',
    '77.75.153.128',
    '77.75.156.12',
    '77.75.154.127',
    '127.0.0.1',
    '::1',
    '2a02:5180:0:1510::1',
    '2a02:5181::1',
    'not-an-ip',
    '',
  ])('refuses %s', (ip) => {
    expect(list.has(ip)).toBe(false);
  });

  it('handles host entries, /0 and a loopback allowance for the emulator', () => {
    const local = createIpAllowList(['127.0.0.1', '::1/128']);
    expect(local.has('127.0.0.1')).toBe(true);
    expect(local.has('::ffff:127.0.0.1')).toBe(true);
    expect(local.has('::1')).toBe(true);
    expect(local.has('127.0.0.2')).toBe(false);
    expect(createIpAllowList(['0.0.0.0/0']).has('8.8.8.8')).toBe(true);
    expect(createIpAllowList(['0.0.0.0/0']).has('2001:db8::1')).toBe(false);
  });

  it.each(['185.71.76.0/33', '1.2.3.4/x', 'example.com', '2a02::/129', '1.2.3.4/'])('rejects the bad entry %s', (entry) => {
    expect(() => createIpAllowList([entry])).toThrow(RangeError);
  });
});
