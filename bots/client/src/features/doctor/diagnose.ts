import type { ServerHealth, SubscriptionStatus, VpnSyncState } from '@vpn/db';
import type { DoctorVerdict } from '@vpn/queues';

/** What the worker found on the panel (the `doctor` job), or `no_answer` when it did not answer in time. */
export type LiveFinding = DoctorVerdict | 'no_answer';

export type CheckId = 'subscription' | 'account' | 'server' | 'traffic';
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** Every finding has a line (`client.doctor.findings.<finding>`) and, unless ok, advice (`client.doctor.advice.<finding>`). */
export const FINDINGS = [
  'no_subscription',
  'expired',
  'suspended',
  'pending',
  'ends_soon',
  'active',
  'account_missing',
  'account_failed',
  'account_pending',
  'account_ok',
  'account_restoring',
  'panel_unchecked',
  'server_unreachable',
  'server_down',
  'server_degraded',
  'server_ok',
  'traffic_exhausted',
  'traffic_low',
  'traffic_ok',
  'traffic_unlimited',
] as const;
export type Finding = (typeof FINDINGS)[number];

export interface Check {
  id: CheckId;
  status: CheckStatus;
  finding: Finding;
}

export interface DiagnosisInput {
  now: Date;
  subscription: { status: SubscriptionStatus; endsAt: Date | null } | null;
  account: { syncState: VpnSyncState; desiredVersion: number; syncedVersion: number | null } | null;
  server: { healthStatus: ServerHealth } | null;
  traffic: { usedBytes: number; limitBytes: number | null } | null;
  /** The account read from the panel live (null: not asked, e.g. no account to read). */
  live?: LiveFinding | null;
}

export interface Diagnosis {
  checks: Check[];
  /** The most serious finding (the first failure, else the first warning), or null when all is well. */
  problem: Finding | null;
  /** The panel account is missing or broken: ask the worker to make it again. */
  resync: boolean;
}

const DAY_MS = 86_400_000;
/** Warn when this share of the traffic limit is used. */
const TRAFFIC_LOW_SHARE = 0.9;

function subscriptionCheck(input: DiagnosisInput): Check {
  const sub = input.subscription;
  const check = (status: CheckStatus, finding: Finding): Check => ({ id: 'subscription', status, finding });
  if (!sub) return check('fail', 'no_subscription');
  if (sub.status === 'suspended') return check('fail', 'suspended');
  if (sub.status === 'pending') return check('warn', 'pending');
  const left = sub.endsAt ? sub.endsAt.getTime() - input.now.getTime() : -1;
  if (sub.status !== 'active' || left <= 0) return check('fail', 'expired');
  return left < DAY_MS ? check('warn', 'ends_soon') : check('ok', 'active');
}

/**
 * The account as the database has it, corrected by what the panel said live: a database that
 * says "synced" about a panel that lost the user is not believed (issue 12: the doctor trusted
 * the database). A panel that did not answer leaves the database's word, and says so.
 */
function accountCheck(account: DiagnosisInput['account'], live: LiveFinding | null): Check {
  const check = (status: CheckStatus, finding: Finding): Check => ({ id: 'account', status, finding });
  if (!account || account.syncState === 'deleted' || account.syncState === 'deleting') return check('fail', 'account_missing');
  if (account.syncState === 'failed') return check('fail', 'account_failed');
  if (live === 'restoring') return check('fail', 'account_restoring');
  if (account.syncState === 'pending' || (account.syncedVersion ?? -1) < account.desiredVersion) return check('warn', 'account_pending');
  if (live === 'no_answer' || live === 'stale' || live === 'unreachable') return check('warn', 'panel_unchecked');
  return check('ok', 'account_ok');
}

function serverCheck(server: NonNullable<DiagnosisInput['server']>): Check {
  if (server.healthStatus === 'down') return { id: 'server', status: 'fail', finding: 'server_down' };
  if (server.healthStatus === 'degraded') return { id: 'server', status: 'warn', finding: 'server_degraded' };
  // 'unknown' is a server not probed yet: nothing known to be wrong.
  return { id: 'server', status: 'ok', finding: 'server_ok' };
}

function trafficCheck(traffic: NonNullable<DiagnosisInput['traffic']>): Check {
  if (traffic.limitBytes === null) return { id: 'traffic', status: 'ok', finding: 'traffic_unlimited' };
  if (traffic.usedBytes >= traffic.limitBytes) return { id: 'traffic', status: 'fail', finding: 'traffic_exhausted' };
  if (traffic.usedBytes >= traffic.limitBytes * TRAFFIC_LOW_SHARE) return { id: 'traffic', status: 'warn', finding: 'traffic_low' };
  return { id: 'traffic', status: 'ok', finding: 'traffic_ok' };
}

/**
 * "VPN doesn't work": checks the subscription, the panel account, the server's health and the
 * traffic left, in that order. Without working access the later checks say nothing useful, so
 * they are skipped.
 */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const checks = [subscriptionCheck(input)];
  const running = checks[0]?.finding === 'active' || checks[0]?.finding === 'ends_soon';
  if (running) {
    const live = input.live ?? null;
    const account = accountCheck(input.account, live);
    checks.push(account);
    // The panel not answering our live read is the server's problem, whatever the last probe said.
    if (live === 'unreachable') checks.push({ id: 'server', status: 'fail', finding: 'server_unreachable' });
    else if (input.server && account.finding !== 'account_missing') checks.push(serverCheck(input.server));
    if (input.traffic) checks.push(trafficCheck(input.traffic));
  }
  // "Could not check live" is the vaguest warning: a known one (traffic low, ends soon) comes first.
  const warnings = checks.filter((c) => c.status === 'warn');
  const problem = checks.find((c) => c.status === 'fail') ?? warnings.find((c) => c.finding !== 'panel_unchecked') ?? warnings[0];
  const resync = checks.some((c) => c.finding === 'account_missing' || c.finding === 'account_failed');
  return { checks, problem: problem?.finding ?? null, resync };
}
