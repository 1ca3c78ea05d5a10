import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, makeServer } from '@vpn/db/testing';
import { TEST_BOT_USERNAME, useApiHarness } from '../testing/harness.js';

const webDir = join(import.meta.dirname, '..', '..', 'web');
const artifacts = join(webDir, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';

const h = useApiHarness({ webRoot: join(webDir, 'dist') });
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`browser tests need Debian's chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'error' });
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
});

/** A browser page signed in as a new admin with `role`, through a one-time link as an operator gets it. */
async function signedIn(role: 'owner' | 'finance' | 'viewer', width: number, language = 'en'): Promise<Page> {
  const session = await h.signIn(role);
  const code = await h.api.sessions.issueCode(session.adminId);
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: language });
  const page = await context.newPage();
  await page.goto(`${h.url}/#code=${code}`);
  await page.getByRole('navigation').waitFor();
  // The code leaves the address bar once used.
  expect(page.url()).not.toContain('code=');
  return page;
}

describe('the web dashboard in Chromium', () => {
  it('signs in, searches and filters customers, extends one from the card (desktop and phone)', async () => {
    const ann = await h.customer({ username: 'ann_customer', firstName: 'Ann' });
    await h.customer({ username: 'bob_customer', firstName: 'Bob' });
    for (const width of [1280, 390]) {
      const page = await signedIn('owner', width);
      await page.getByPlaceholder('Search: Telegram id, id, referral code or @username').fill('@ann_');
      await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
      await page.screenshot({ path: join(artifacts, `users-${width}.png`), fullPage: true });
      await page.getByRole('button', { name: `Open the card of customer ${ann.id}` }).click();
      const card = page.getByRole('dialog');
      await card.getByLabel('Days').fill('7');
      await card.getByLabel('Reason').fill('outage');
      await card.getByRole('button', { name: 'Extend' }).click();
      await card.getByRole('status').waitFor();
      expect(await card.getByRole('status').textContent()).toMatch(/^Extended until /);
      await page.screenshot({ path: join(artifacts, `card-${width}.png`), fullPage: true });
      await page.context().close();
    }
    // Two extensions of 7 days, each audited with the admin who pressed.
    const [sub] = await h.db.repos.subscriptions.listByUser(ann.id);
    expect(Math.round((sub!.endsAt!.getTime() - h.clock.now().getTime()) / 86_400_000)).toBe(14);
    const audit = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(ann.id) });
    expect(audit.map((a) => a.action)).toEqual(['customer.extend', 'customer.extend']);

    // Filters: the blocked segment shows nobody until someone is blocked.
    const page = await signedIn('owner', 1280);
    await page.getByLabel('Segment').selectOption('blocked');
    await expect.poll(() => page.getByText('Nobody found.').isVisible()).toBe(true);
    await page.context().close();
  });

  it('refunds a payment after a confirmation, and the customer’s access is shortened', async () => {
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    const payment = await h.purchase(user, plan);
    const before = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!;
    const page = await signedIn('finance', 1280, 'ru');
    await page.getByRole('button', { name: 'Платежи' }).click();
    const row = page.locator(`tr[data-payment="${payment.id}"]`);
    await row.waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Вернуть' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Возврат выполнен.');
    await page.screenshot({ path: join(artifacts, 'payments-1280.png'), fullPage: true });
    expect((await h.db.repos.payments.get(payment.id))!.status).toBe('refunded');
    const after = await h.db.repos.subscriptions.getCurrentOrLatestForUser(user.id);
    expect(after!.status === 'cancelled' || after!.endsAt!.getTime() < before.getTime()).toBe(true);
    await page.context().close();
  });

  it('lets the owner manage staff and drain a server, in Russian', async () => {
    const server = await makeServer(h.db.repos, { name: 'nl-web', capacity: 100 });
    const page = await signedIn('owner', 1280, 'ru');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Очереди задач' }).getAttribute('href')).toBe('/api/queues/');
    await page.getByRole('navigation').getByRole('button', { name: 'Серверы' }).click();
    const row = page.locator('tr', { hasText: 'nl-web' });
    await row.getByText('принимает новых').waitFor();
    await row.getByRole('button', { name: 'Вывести' }).click();
    await row.getByText('выведен (новых не берёт)').waitFor();
    expect((await h.db.repos.servers.get(server.id))!.weight).toBe(0);

    await page.getByRole('navigation').getByRole('button', { name: 'Сотрудники' }).click();
    await page.getByLabel('Telegram ID').fill('777000111');
    await page.getByLabel('Имя', { exact: true }).fill('Kate');
    await page.locator('form select[name=role]').selectOption('support');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').waitFor();
    await page.getByLabel('Роль сотрудника 777000111').selectOption('finance');
    await expect.poll(async () => (await h.db.repos.admins.findByTelegramId(777000111))?.role).toBe('finance');
    await page.screenshot({ path: join(artifacts, 'staff-1280.png'), fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('tr', { hasText: '777000111' }).getByRole('button', { name: 'Снять доступ' }).click();
    await expect.poll(async () => (await h.db.repos.admins.findByTelegramId(777000111))?.active).toBe(false);
    const actions = (await h.db.repos.auditLog.list({ entity: 'admin' })).map((a) => a.action);
    expect(actions.slice(0, 3)).toEqual(['admin.remove', 'admin.update', 'admin.create']);
    await page.context().close();
  });

  it('signs in with Telegram’s Login Widget: the button names the admin bot and its signed data opens a session', async () => {
    const admin = await makeAdmin(h.db.repos, { role: 'support' });
    const context = await browser.newContext({ locale: 'en' });
    const page = await context.newPage();
    // Telegram's widget script, as the page loads it; it answers as Telegram's does once the
    // account confirms: onauth with the fields signed by the bot's token.
    await page.route('https://telegram.org/js/telegram-widget.js*', (r) =>
      r.fulfill({
        contentType: 'application/javascript',
        // Only a widget drawn for the admin bot signs in: another bot name never gets this far.
        body: `const s = document.querySelector('script[data-telegram-login]');
          if (s && s.dataset.telegramLogin === ${JSON.stringify(TEST_BOT_USERNAME)} && s.dataset.onauth === 'onTelegramAuth(user)')
            window.onTelegramAuth(${JSON.stringify(h.widget(admin.telegramId))});`,
      }),
    );
    await page.goto(h.url);
    await page.getByRole('navigation').waitFor();
    expect(await page.getByRole('navigation').getByRole('button').allTextContents()).toEqual(['Customers', 'Payments', 'Servers']);
    const [entry] = await h.db.repos.auditLog.list({ entity: 'admin', entityId: String(admin.id) });
    expect(entry).toMatchObject({ action: 'admin.sign_in', data: { via: 'telegram' } });
    await context.close();
  });

  it('shows a role only what it may do, and a bad code clearly', async () => {
    const viewer = await signedIn('viewer', 1280);
    expect(await viewer.getByRole('navigation').getByRole('button').allTextContents()).toEqual(['Customers', 'Payments', 'Servers']);
    expect(await viewer.getByRole('navigation').getByRole('link').count()).toBe(0);
    await viewer.context().close();

    const context = await browser.newContext({ locale: 'en' });
    const page = await context.newPage();
    await page.goto(h.url);
    await page.getByLabel('One-time code').fill('not-a-real-code-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('The code is unknown, used or expired.');
    await context.close();
  });
});
