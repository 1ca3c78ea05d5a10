import { sqlMigration } from './sql-migration.js';

/**
 * A plan's price becomes final: what the customer pays before a promo code. Until now checkout
 * also subtracted `discount_percent`, although the seeded long plans already carried their
 * saving (3 months 549 ₽ = 3 × 199 ₽ − 8 %), so they were discounted twice. The saving is now
 * derived from the prices (billing `planSaving`) and `discount_percent` is no longer read.
 *
 * So that no price changes meaning, each plan with a discount is judged against the shortest
 * plan of its currency over the same days: a price nearer the discounted figure already carries
 * its saving and is kept (the seeds); a price nearer the undiscounted one was a list price the
 * discount applied to, so the discount is folded into it (customers keep paying what they paid;
 * the Stars price the same way). A plan with no shorter plan to compare is folded too. The old
 * figures are kept in `plan_prices_before_final` for `down`.
 */
export const { up, down } = sqlMigration(
  `
CREATE TABLE plan_prices_before_final AS
  SELECT id, price_minor, price_stars, discount_percent FROM plans;

WITH reference AS (
  SELECT DISTINCT ON (currency) currency, price_minor::bigint AS price_minor, duration_days
  FROM plans WHERE price_minor > 0
  ORDER BY currency, duration_days, active DESC, id
)
UPDATE plans p SET
  price_minor = p.price_minor - (p.price_minor::bigint * p.discount_percent / 100)::int,
  price_stars = CASE WHEN p.price_stars IS NULL THEN NULL
                ELSE p.price_stars - (p.price_stars::bigint * p.discount_percent / 100)::int END
WHERE p.discount_percent > 0
  AND NOT EXISTS (
    SELECT 1 FROM reference r
    WHERE r.currency = p.currency AND r.duration_days < p.duration_days
      -- price <= reference over the plan's days × (1 − discount / 2): nearer the discounted figure
      AND p.price_minor::bigint * 200 * r.duration_days <= r.price_minor * p.duration_days * (200 - p.discount_percent)
  );

UPDATE plans SET discount_percent = 0 WHERE discount_percent <> 0;
`,
  `
UPDATE plans p SET price_minor = b.price_minor, price_stars = b.price_stars, discount_percent = b.discount_percent
FROM plan_prices_before_final b WHERE b.id = p.id;
DROP TABLE IF EXISTS plan_prices_before_final;
`,
);
