import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { label } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import { referralLink } from '../start/deep-link.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The referral programme: the personal link, friends invited and paying, bonus days earned. */
export function createReferralFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens } = deps;
  const link = (ctx: ClientContext) => referralLink(ctx.me.username, ctx.customer.referralCode);

  const menu = screens
    .menu('ref')
    .url(
      (ctx) => ctx.t('client.referral.share'),
      (ctx) => {
        const text = label(ctx.t('client.referral.shareText'));
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
      return [
        ctx.t('client.referral.title'),
        ctx.t('client.referral.rules', { referrer: settings.referrerBonusDays, referee: settings.refereeBonusDays }),
        ctx.t('client.referral.link', { url: link(ctx) }),
        [
          ctx.t('client.referral.invited', { count: invited }),
          ctx.t('client.referral.paid', { count: summary.rewards }),
          ctx.t('client.referral.earned', { count: summary.days }),
        ].join('\n'),
      ].join('\n\n');
    },
  });

  const composer = new Composer<ClientContext>();
  composer.command(['referral', 'invite'], screens.to('ref'));
  return composer;
}
