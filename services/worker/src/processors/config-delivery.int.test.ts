import { makeSubscription } from '@vpn/db/testing';
import { NOTIFICATION_CALLBACKS } from '@vpn/queues';
import type { SentMessage } from '@vpn/telegram-emulator';
import { createWgEasyEmulator, type WgEasyEmulator } from '@vpn/vpn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@vpn/db';
import { useWorkerHarness } from '../testing/worker-harness.js';

// The config reaches the customer without another tap: the link's QR with copy and config buttons,
// a reissued key once per key, and WireGuard's .conf with its QR.
const h = useWorkerHarness();
const REVOKE = /^POST \/api\/user\/[^/]+\/revoke_sub$/;

const sent = (user: User) => h.telegram.client.getMessages({ chatId: user.telegramId, bot: 'vpn_client_bot' });
async function waitMessage(user: User, match: (m: SentMessage) => boolean, what: string): Promise<SentMessage> {
  await h.until(async () => (await sent(user)).some(match), 15_000, what);
  return (await sent(user)).find(match)!;
}
const buttons = (m: SentMessage) => m.replyMarkup?.inline_keyboard.flat() ?? [];
const linkIn = (m: SentMessage) => /https?:\/\/\S+\/sub\/\S+/.exec(m.caption ?? m.text ?? '')?.[0];
const idle = async () => {
  const queue = h.queues.queue(h.producers.provisioning.contract);
  await h.until(
    async () => {
      const c = await queue.getJobCounts();
      return c.active + c.waiting + c.delayed === 0;
    },
    10_000,
    'idle provisioning',
  );
};

describe('config delivery by the worker', () => {
  it('sends the ready link as its QR photo with a copy button and a button to the config screen', async () => {
    const user = await h.customer();
    const sub = await makeSubscription(h.db.repos, { userId: user.id });
    await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'v1', reason: 'trial' });
    const ready = await waitMessage(user, (m) => (m.caption ?? '').includes('Ваш VPN готов'), 'the ready message');
    expect(ready.photoFileId).toBeDefined();
    const link = linkIn(ready)!;
    expect(link).toMatch(new RegExp(`^${h.panel.url}/sub/`));
    expect(buttons(ready)).toEqual([
      { text: '📋 Скопировать ссылку', copy_text: { text: link } },
      { text: '📱 Инструкции и QR-код', callback_data: NOTIFICATION_CALLBACKS.openConfig },
    ]);
    expect(Buffer.byteLength(NOTIFICATION_CALLBACKS.openConfig)).toBeLessThanOrEqual(64);
  });

  it('a reissue revokes the old link, sends the new one once, and a retried job neither rotates nor sends again', async () => {
    const user = await h.customer();
    const sub = await makeSubscription(h.db.repos, { userId: user.id });
    await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'v1', reason: 'purchase' });
    const oldLink = linkIn(await waitMessage(user, (m) => (m.caption ?? '').includes('Ваш VPN готов'), 'the ready message'))!;
    // Tokens carry whole seconds (Marzban §7): the old link is from an earlier second than the revoke.
    await new Promise((r) => setTimeout(r, 1_001 - (Date.now() % 1_000)));
    const revokes = h.panel.countRequests(REVOKE);

    const job = await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'reissue-req-1', reason: 'reissue' });
    const reissued = await waitMessage(user, (m) => (m.caption ?? '').includes('Ключ перевыпущен'), 'the new key');
    const newLink = linkIn(reissued)!;
    expect(newLink).not.toBe(oldLink);
    expect(reissued.photoFileId).toBeDefined();
    expect((await fetch(oldLink)).status).toBe(404);
    expect((await fetch(newLink)).status).toBe(200);
    const [account] = await h.db.repos.vpnAccounts.findBySubscription(sub.id);
    expect(account).toMatchObject({ subscriptionUrl: newLink, reissueCount: 1 });

    // The same request run again (a retry after the job's completion was lost).
    await idle();
    await (await h.queues.queue(h.producers.provisioning.contract).getJob(String(job.id)))?.remove();
    await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'reissue-req-1', reason: 'reissue' });
    await idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.panel.countRequests(REVOKE)).toBe(revokes + 1);
    expect((await sent(user)).filter((m) => (m.caption ?? '').includes('Ключ перевыпущен'))).toHaveLength(1);
    expect((await fetch(newLink)).status).toBe(200);
  });

  describe('WireGuard (wg-easy)', () => {
    let wg: WgEasyEmulator;
    beforeAll(async () => {
      wg = await createWgEasyEmulator();
    });
    afterAll(() => wg.close());

    it('sends the .conf as a document with the ready text and buttons, then its QR', async () => {
      const server = await h.db.repos.servers.create({
        name: 'wg-1',
        countryCode: 'DE',
        panelKind: 'wg-easy',
        baseUrl: wg.url,
        credentials: { ...wg.credentials },
        settings: {},
      });
      const user = await h.customer();
      const sub = await makeSubscription(h.db.repos, { userId: user.id, serverId: server.id });
      await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'v1', reason: 'trial' });
      const doc = await waitMessage(user, (m) => m.documentFileId !== undefined, 'the .conf');
      expect(doc.caption).toContain('Ваш VPN готов');
      expect(doc.caption).toContain('WireGuard');
      expect(buttons(doc)).toEqual([{ text: '📱 Инструкции и QR-код', callback_data: NOTIFICATION_CALLBACKS.openConfig }]);
      const conf = (await h.telegram.client.downloadFile(doc.documentFileId!)).toString('utf8');
      const [account] = await h.db.repos.vpnAccounts.findBySubscription(sub.id);
      expect(conf).toBe(account?.wireguardConfig);
      expect(conf).toContain('[Interface]');
      const qr = await waitMessage(user, (m) => m.photoFileId !== undefined, 'the QR');
      expect(qr.seq).toBeGreaterThan(doc.seq);

      // A reissue sends the new file.
      await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'reissue-wg', reason: 'reissue' });
      const again = await waitMessage(
        user,
        (m) => m.documentFileId !== undefined && (m.caption ?? '').includes('Ключ перевыпущен'),
        'the new .conf',
      );
      const newConf = (await h.telegram.client.downloadFile(again.documentFileId!)).toString('utf8');
      expect(newConf).not.toBe(conf);
      expect(newConf).toBe((await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]?.wireguardConfig);
    });
  });
});
