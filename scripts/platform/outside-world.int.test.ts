import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPanelAdapter } from '@vpn/vpn';
import { marzbanServerRow } from '@vpn/vpn/testing';
import { startOutsideWorld } from './outside-world.js';

/** A fresh connection each time: the first world's keep-alive sockets die with it. */
const status = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

const ports = { telegramPort: 18810, panelPort: 18811, yookassaPort: 18812 };

describe('the sandbox outside world across a restart', () => {
  it('listens on the documented (given) ports and a customer link still works after a restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'i18-world-'));
    const first = await startOutsideWorld({ ...ports, stateDir });
    let link: string;
    try {
      expect(first.telegram.url).toBe('http://127.0.0.1:18810');
      expect(first.marzban.url).toBe('http://127.0.0.1:18811');
      expect(first.yookassa.url).toBe('http://127.0.0.1:18812');
      const adapter = createPanelAdapter({ id: 1, name: 'sandbox', ...marzbanServerRow(first.marzban) });
      const user = await adapter.ensureUser({ key: 'vpn_s1', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
      link = user.subscriptionUrl!;
      expect(await status(link)).toBe(200);
    } finally {
      await first.close();
    }

    const second = await startOutsideWorld({ ...ports, stateDir });
    try {
      expect(second.marzban.userKeys()).toEqual(['vpn_s1']);
      expect(await status(link)).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('says which port is taken instead of hanging', async () => {
    const world = await startOutsideWorld({ ...ports });
    try {
      await expect(startOutsideWorld({ ...ports, telegramPort: 18813 })).rejects.toThrow(/EADDRINUSE.*18811/);
    } finally {
      await world.close();
    }
  });
});
