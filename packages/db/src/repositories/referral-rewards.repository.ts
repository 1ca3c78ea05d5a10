import type { ReferralReward } from '../models/index.js';
import { plain, plainAll, queryOne, required, type RepoDeps, type TxOptions } from './base.js';

export type ReferralRewardInput = Pick<ReferralReward, 'referrerId' | 'refereeId'> &
  Partial<Pick<ReferralReward, 'paymentId' | 'referrerDays' | 'refereeDays'>>;

/** Referral bonuses: at most one per referee, whatever retries or races happen. */
export function createReferralRewardsRepository({ sequelize, models }: RepoDeps) {
  const { ReferralReward: Rewards } = models;
  return {
    /** `inserted` is true only for the call that actually granted the reward. */
    async insertOnce(input: ReferralRewardInput, opts: TxOptions = {}): Promise<{ inserted: boolean; reward: ReferralReward }> {
      const row = await queryOne<ReferralReward>(
        sequelize,
        `INSERT INTO referral_rewards (referrer_id, referee_id, payment_id, referrer_days, referee_days)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (referee_id) DO NOTHING RETURNING *`,
        [input.referrerId, input.refereeId, input.paymentId ?? null, input.referrerDays ?? 0, input.refereeDays ?? 0],
        opts,
      );
      if (row) return { inserted: true, reward: row };
      const existing = plain(
        await Rewards.findOne({
          where: { refereeId: input.refereeId },
          transaction: opts.transaction,
        }),
      );
      return { inserted: false, reward: required(existing, 'referral reward', input.refereeId) };
    },
    /**
     * Marks the reward earned by `paymentId` as taken back. Returns the row only to the one call
     * that revoked it (null when there is no reward for that payment or it was revoked already),
     * so a refund processed twice takes the days back once.
     */
    async revokeByPayment(paymentId: string, at: Date, opts: TxOptions = {}): Promise<ReferralReward | null> {
      return queryOne<ReferralReward>(
        sequelize,
        'UPDATE referral_rewards SET revoked_at = $2 WHERE payment_id = $1 AND revoked_at IS NULL RETURNING *',
        [paymentId, at],
        opts,
      );
    },
    async findByReferee(refereeId: number, opts: TxOptions = {}): Promise<ReferralReward | null> {
      return plain(await Rewards.findOne({ where: { refereeId }, transaction: opts.transaction }));
    },
    async listByReferrer(referrerId: number, opts: TxOptions = {}): Promise<ReferralReward[]> {
      return plainAll(
        await Rewards.findAll({
          where: { referrerId },
          order: [['id', 'DESC']],
          transaction: opts.transaction,
        }),
      );
    },
    /** How many friends paid and how many bonus days the referrer earned and kept (the "invite" screen). */
    async summary(referrerId: number, opts: TxOptions = {}): Promise<{ rewards: number; days: number }> {
      const row = await queryOne<{ rewards: number; days: number }>(
        sequelize,
        'SELECT count(*)::int AS rewards, coalesce(sum(referrer_days), 0)::int AS days FROM referral_rewards WHERE referrer_id = $1 AND revoked_at IS NULL',
        [referrerId],
        opts,
      );
      return row ?? { rewards: 0, days: 0 };
    },
  };
}

export type ReferralRewardsRepository = ReturnType<typeof createReferralRewardsRepository>;
