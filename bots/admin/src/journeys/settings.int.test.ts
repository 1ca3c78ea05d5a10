import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

describe('settings: operators change runtime settings from the bot, checked, audited', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('settings');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  const stored = async (key: string) => w.db.repos.settings.get(key);

  it('the owner turns the trial off and picks the referral mode by button; billing reads both; each change audited', async () => {
    const owner = await w.staff('owner');
    const t = owner.t;
    await w.menu(owner);
    const list = await w.open(owner, t('admin.settings.menu'));
    expect(list.text).toContain(`${t('admin.settings.rules.trialEnabled.label')}: ${t('admin.settings.on')}`);
    expect(labelsOf(list)).toEqual(expect.arrayContaining([t('admin.settings.rules.supportNotePrefix.label')]));

    const card = await w.open(owner, t('admin.settings.rules.trialEnabled.label'));
    expect(card.text).toContain(t('admin.settings.rules.trialEnabled.help'));
    expect(card.text).toContain(t('admin.settings.isDefault').trim());
    await w.press(owner, t('admin.settings.turnOff'));
    expect((await w.next(owner)).text).toContain(`${t('admin.settings.on')} → ${t('admin.settings.off')}`);
    expect(labelsOf(await w.nextEdit(owner))).toContain(t('admin.settings.turnOn'));
    expect(await stored('trial.enabled')).toBe(false);
    expect((await w.billing.settings()).trialEnabled).toBe(false);

    await w.open(owner, t('admin.common.back'));
    await w.open(owner, t('admin.settings.rules.referralMode.label'));
    await w.press(owner, 'commission');
    await w.next(owner);
    await w.nextEdit(owner);
    expect(await stored('referral.mode')).toBe('commission');
    expect((await w.billing.settings()).referralMode).toBe('commission');

    const entries = await w.db.repos.auditLog.list({ entity: 'setting' });
    expect(entries.map((e) => [e.action, e.entityId, e.data])).toEqual([
      ['setting.update', 'referral.mode', { before: 'days', after: 'commission' }],
      ['setting.update', 'trial.enabled', { before: true, after: false }],
    ]);
    expect(entries.every((e) => e.actorKind === 'admin' && e.actorId !== null)).toBe(true);
  });

  it('typed values: a duration, a percent and a text; bad ones are refused by name and range, asked again, and change nothing', async () => {
    const owner = await w.staff('owner', 'ru');
    const t = owner.t;
    const min = t('admin.settings.units.minutes');
    /** Opens the setting's card and presses Change; returns the question. */
    const change = async (label: string) => {
      await w.menu(owner);
      await w.open(owner, t('admin.settings.menu'));
      await w.open(owner, label);
      await w.press(owner, t('admin.settings.change'));
      return (await w.next(owner)).text ?? '';
    };
    /** A refused answer: the refusal, then the question again. */
    const refused = async (answer: string) => {
      await w.say(owner, answer);
      const refusal = (await w.next(owner)).text ?? '';
      expect((await w.next(owner)).text).toContain(t('admin.settings.ask', { label: '', range: '' }).slice(0, 10));
      return refusal;
    };
    const accepted = async (answer: string) => {
      await w.say(owner, answer);
      const saved = (await w.next(owner)).text ?? '';
      await w.next(owner); // the card again
      return saved;
    };

    const question = await change(t('admin.settings.rules.supportSlaMinutes.label'));
    expect(question).toContain(t('admin.errors.duration', { min: 1, max: 10_080, unit: min }));
    const zero = await refused('0');
    expect(zero).toContain(t('admin.errors.invalid'));
    expect(zero).toContain('support.slaMinutes: ');
    expect(zero).toContain(t('admin.errors.duration', { min: 1, max: 10_080, unit: min }));
    await refused('2 weeks');
    expect(await stored('support.slaMinutes')).toBe(30);
    expect(await accepted('2h')).toContain(`30 ${min} → 120 ${min}`);
    expect(await stored('support.slaMinutes')).toBe(120);

    await change(t('admin.settings.rules.referralCommissionPercent.label'));
    expect(await refused('150')).toContain(t('admin.errors.range', { min: 0, max: 100 }));
    expect(await stored('referral.commissionPercent')).toBe(10);
    await accepted('25');
    expect(await stored('referral.commissionPercent')).toBe(25);

    await change(t('admin.settings.rules.supportNotePrefix.label'));
    expect(await refused('x'.repeat(4000))).toContain(t('admin.errors.length', { max: 16 }));
    expect(await stored('support.notePrefix')).toBe('//');
    await accepted('!!');
    expect(await stored('support.notePrefix')).toBe('!!');
    // Cleared by its button: only /note makes a note then.
    await w.press(owner, t('admin.settings.clear'));
    expect((await w.next(owner)).text).toContain('!! → ∅');
    expect(await stored('support.notePrefix')).toBe('');
    expect((await w.db.repos.auditLog.list({ entity: 'setting', entityId: 'support.notePrefix' })).length).toBe(2);
  });

  it('roles without settings:write cannot change them, hand-made presses included', async () => {
    const support = await w.staff('support');
    expect(labelsOf(await w.menu(support))).not.toContain(support.t('admin.settings.menu'));
    const open = w.pressData(support, 'set:o');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: open })).text).toBe(support.t('admin.errors.forbidden'));
    const marketing = await w.staff('marketing');
    await w.menu(marketing);
    const press = w.pressData(marketing, 'set:b:trial.enabled:1');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(marketing.t('admin.errors.forbidden'));
    expect(await stored('trial.enabled')).toBe(false);
    await expect(
      w.backoffice.settings.update({ kind: 'admin', adminId: 1, role: 'finance' }, { key: 'trial.enabled', value: true }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
