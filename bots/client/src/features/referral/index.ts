import type { BillingSettings } from '@vpn/billing';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { label } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import { referralLink } from '../start/deep-link.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The invited friend gets bonus days with their first payment (not where referrers earn a commission only). */
const refereeGetsDays = (s: BillingSettings) => s.referralMode !== 'commission' && s.refereeBonusDays > 0;

/** What referrer and friend get under the settings in force (`referral.mode`, days, percent). */
function referralRules(ctx: ClientContext, s: BillingSettings): string {
  const days = (count: number) => ctx.t('common.units.days', { count });
  const lines: string[] = [];
  if (s.referralMode !== 'commission' && s.referrerBonusDays > 0)
    lines.push(ctx.t('client.referral.rulesDays', { days: days(s.referrerBonusDays) }));
  if (s.referralMode !== 'days' && s.referralCommissionPercent > 0)
    lines.push(ctx.t('client.referral.rulesCommission', { percent: s.referralCommissionPercent }));
  if (refereeGetsDays(s)) lines.push(ctx.t('client.referral.rulesRefereeDays', { days: days(s.refereeBonusDays) }));
  return lines.join(' ');
}

/** The referral programme: the personal link, friends invited and paying, bonus days earned. */
export function createReferralFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens } = deps;
  const link = (ctx: ClientContext) => referralLink(ctx.me.username, ctx.customer.referralCode);

  const menu = screens
    .menu('ref')
    .url(
      (ctx) => ctx.t('client.referral.share'),
      async (ctx) => {
        // The friend is promised a bonus only while the settings give one.
        const bonus = refereeGetsDays(await deps.billing.settings());
        const text = label(ctx.t(bonus ? 'client.referral.shareText' : 'client.referral.shareTextNoBonus'));
        return `https://t.me/share/url?url=${encodeURIComponent(link(ctx))}&text=${encodeURIComponent(text)}`;
      },
    )
    .row()
    .text((ctx) => ctx.t('client.common.back'), screens.to('m'));

  screens.add({
    id: 'ref',
    menu,
    text: async (ctx) => {
      const [invited, summary, settings] = await once(ctx, 'referral', () =>
        Promise.all([
          deps.db.repos.users.countReferrals(ctx.customer.id),
          deps.db.repos.referralRewards.summary(ctx.customer.id),
          deps.billing.settings(),
        ]),
      );
      const days = settings.referralMode !== 'commission';
      return [
        ctx.t('client.referral.title'),
        referralRules(ctx, settings),
        ctx.t('client.referral.link', { url: link(ctx) }),
        [
          ctx.t('client.referral.invited', { count: invited }),
          ctx.t('client.referral.paid', { count: summary.rewards }),
          ...(days ? [ctx.t('client.referral.earned', { count: summary.days })] : []),
        ].join('\n'),
      ]
        .filter((part) => part !== '')
        .join('\n\n');
    },
  });

  const composer = new Composer<ClientContext>();
  composer.command(['referral', 'invite'], screens.to('ref'));
  return composer;
}
