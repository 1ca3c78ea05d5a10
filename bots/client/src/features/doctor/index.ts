import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { accountOf, currentSubscription, trialAvailable } from '../../ui/customer-state.js';
import { once } from '../../ui/memo.js';
import { trafficOf } from '../subscription/usage-view.js';
import { openTicketWithDiagnosis } from '../support/index.js';
import type { FeatureDeps } from '../feature-deps.js';
import { offerTrial, type TrialDeps } from '../trial/index.js';
import { askWorkerToCheck } from './ask-worker.js';
import { diagnose, type CheckStatus, type Diagnosis, type LiveFinding } from './diagnose.js';

const MARK: Record<CheckStatus, string> = { ok: '✅', warn: '⚠️', fail: '❌' };

/** Gathers what the checks need and runs them (once per update). */
async function examine(ctx: ClientContext, deps: FeatureDeps): Promise<{ diagnosis: Diagnosis; facts: Record<string, unknown> }> {
  return once(ctx, 'doctor', async () => {
    const sub = await currentSubscription(ctx, deps);
    const account = await accountOf(ctx, deps, sub);
    const server = account ? await deps.db.repos.servers.get(account.serverId) : null;
    const traffic = sub ? await trafficOf(ctx, deps, sub) : null;
    // The database may say "synced" about a panel that lost the account: ask the panel itself.
    const running = sub !== null && sub.status === 'active' && (sub.endsAt?.getTime() ?? 0) > deps.now().getTime();
    const readable = account !== null && (account.syncState === 'synced' || account.syncState === 'pending');
    const live: LiveFinding | null = running && readable ? await askWorkerToCheck(deps.producers, sub.id, deps.doctorWaitMs) : null;
    const diagnosis = diagnose({ now: deps.now(), subscription: sub, account, server, traffic, live });
    const facts = {
      checkedAt: deps.now().toISOString(),
      checks: diagnosis.checks,
      subscriptionId: sub?.id ?? null,
      subscriptionStatus: sub?.status ?? null,
      endsAt: sub?.endsAt?.toISOString() ?? null,
      vpnAccountId: account?.id ?? null,
      syncState: account?.syncState ?? null,
      lastError: account?.lastError ?? null,
      serverId: server?.id ?? null,
      serverHealth: server?.healthStatus ?? null,
      live,
      usedBytes: traffic?.usedBytes ?? null,
      limitBytes: traffic?.limitBytes ?? null,
    };
    // A missing or broken panel account is made again by the worker (idempotent "ensure").
    if (diagnosis.resync && sub) {
      await deps.producers.provisioning.add({ subscriptionId: sub.id, version: `doctor-${sub.version}`, reason: 'reconcile' });
    }
    return { diagnosis, facts };
  });
}

async function doctorText(ctx: ClientContext, deps: FeatureDeps): Promise<string> {
  const { diagnosis } = await examine(ctx, deps);
  const lines = diagnosis.checks.map((c) => `${MARK[c.status]} ${ctx.t(`client.doctor.findings.${c.finding}`)}`);
  const advice =
    diagnosis.problem === 'no_subscription' && !(await trialAvailable(ctx, deps)) ? 'no_subscription_no_trial' : diagnosis.problem;
  const verdict = advice === null ? ctx.t('client.doctor.allGood') : ctx.t(`client.doctor.advice.${advice}`);
  const resync = diagnosis.resync ? `\n\n${ctx.t('client.doctor.resyncing')}` : '';
  return `${ctx.t('client.doctor.title')}\n\n${lines.join('\n')}\n\n${verdict}${resync}`;
}

/**
 * "VPN doesn't work": checks the subscription, the panel account (read live from the panel by
 * the worker), the server's health and the traffic left; says what is wrong and what to do;
 * offers a support ticket with the diagnosis.
 */
export function createDoctorFeature(deps: TrialDeps): Composer<ClientContext> {
  const { screens } = deps;
  const openTicket = async (ctx: ClientContext) => {
    const { facts } = await examine(ctx, deps);
    await openTicketWithDiagnosis(ctx, deps, facts, await doctorText(ctx, deps));
    await screens.show(ctx, 'sup');
    await ctx.reply(ctx.t('client.doctor.ticketOpened'));
  };
  const menu = screens
    .menu('doc')
    .text((ctx) => ctx.t('client.doctor.openTicket'), openTicket)
    .row()
    .dynamic(async (ctx, range) => {
      const { diagnosis } = await examine(ctx, deps);
      const needsPayment = diagnosis.checks.some((c) =>
        ['no_subscription', 'expired', 'traffic_exhausted', 'ends_soon', 'traffic_low'].includes(c.finding),
      );
      if (diagnosis.problem === 'no_subscription') await offerTrial(ctx, range, deps);
      if (needsPayment) range.text(ctx.t('client.menu.buy'), screens.to('buy'));
      else range.text(ctx.t('client.menu.config'), screens.to('cfg'));
      range.text(ctx.t('client.doctor.again'), screens.to('doc')).row();
    })
    .text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({ id: 'doc', menu, text: (ctx) => doctorText(ctx, deps) });

  const composer = new Composer<ClientContext>();
  composer.command('doctor', screens.to('doc'));
  return composer;
}
