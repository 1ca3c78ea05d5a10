import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedSeriesNames } from '@vpn/metrics';
import { SANDBOX_ADMIN_BOT_TOKEN, SANDBOX_OWNER_ID, SERVICE_NAMES, type OutsideWorld, type Platform } from './platform/index.js';
import { startSandboxHarness, type SandboxHarness } from './platform/testing/sandbox-harness.js';

// Every process of the platform, started as the launcher starts them, serves Prometheus text on
// its ops port with Node's default metrics, its `service` label, and only names of the catalog;
// what a customer does shows in the bot's and the worker's series.
describe('every process serves /metrics on its ops port', () => {
  let sandbox: SandboxHarness;
  let world: OutsideWorld;
  let platform: Platform;
  beforeAll(async () => {
    const ports = { telegramPort: 0, panelPort: 0, yookassaPort: 0, webhooksPort: 0 };
    sandbox = await startSandboxHarness('metrics', ports, {
      extraEnv: { ADMIN_BOT_TOKEN: SANDBOX_ADMIN_BOT_TOKEN, ADMIN_IDS: String(SANDBOX_OWNER_ID) },
    });
    ({ world, platform } = sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const scrape = async (name: (typeof SERVICE_NAMES)[number]) => {
    const res = await fetch(`${platform.opsUrl(name)}/metrics`);
    expect(res.status, name).toBe(200);
    return res.text();
  };
  /** `name{labels} value` lines as [series name, labels, value]. */
  const samples = (text: string) =>
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(l)!)
      .map((m) => ({ name: m[1]!, labels: m[2] ?? '', value: Number(m[3]) }));

  it('all six processes, each with default metrics, its service label and only catalog names', async () => {
    const known = await exportedSeriesNames();
    expect([...platform.services.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) {
      const all = samples(await scrape(name));
      expect(
        all.some((s) => s.name === 'process_resident_memory_bytes' && s.labels.includes(`service="${name}"`)),
        name,
      ).toBe(true);
      expect(
        all.filter((s) => !known.has(s.name)).map((s) => s.name),
        name,
      ).toEqual([]);
    }
  });

  it('a customer at the client bot shows as updates by feature, Bot API calls and the worker’s queues', async () => {
    const tg = world.telegram.client;
    const user = await tg.createUser({ firstName: 'Mia', languageCode: 'en' });
    await tg.start({ from: user.id, bot: world.clientBotToken });
    await tg.waitForMessage({ chatId: user.id, bot: world.clientBotToken, timeoutMs: 10_000 });

    // The update is counted when its handling ends, a moment after the first reply.
    const isStart = (s: { name: string; labels: string }) =>
      s.name === 'bot_updates_total' && s.labels.includes('feature="cmd:start"') && s.labels.includes('outcome="ok"');
    let bot = samples(await scrape('client-bot'));
    for (let i = 0; i < 50 && !bot.some(isStart); i++) {
      await new Promise((r) => setTimeout(r, 100));
      bot = samples(await scrape('client-bot'));
    }
    expect(bot.find(isStart)?.value).toBe(1);
    expect(
      bot.find((s) => s.name === 'bot_update_duration_seconds_count' && s.labels.includes('feature="cmd:start"'))?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(
      bot.find((s) => s.name === 'telegram_api_calls_total' && s.labels.includes('method="sendMessage"'))?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(bot.find((s) => s.name === 'bot_taking_updates')?.value).toBe(1);
    // The admin bot polls too; the support bot as well.
    expect(samples(await scrape('admin-bot')).find((s) => s.name === 'bot_taking_updates')?.value).toBe(1);
    expect(samples(await scrape('support-bot')).find((s) => s.name === 'bot_taking_updates')?.value).toBe(1);

    const worker = samples(await scrape('worker'));
    expect(
      worker.some((s) => s.name === 'queue_jobs' && s.labels.includes('queue="settlement"') && s.labels.includes('state="waiting"')),
    ).toBe(true);
    expect(worker.find((s) => s.name === 'subscriptions_active')).toBeDefined();
  });

  it('a refused payment notification counts per provider on the webhooks service, with its acknowledgement time', async () => {
    const res = await fetch(`${platform.webhooksUrl}/webhooks/yookassa`, {
      method: 'POST',
      body: '{"forged":true}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const hooks = samples(await scrape('webhooks'));
    const refused = hooks.filter(
      (s) =>
        s.name === 'payment_notifications_total' && s.labels.includes('provider="yookassa"') && !s.labels.includes('outcome="accepted"'),
    );
    expect(refused.reduce((n, s) => n + s.value, 0)).toBe(1);
    expect(hooks.find((s) => s.name === 'webhook_ack_duration_seconds_count' && s.labels.includes('provider="yookassa"'))?.value).toBe(1);
  });
});
