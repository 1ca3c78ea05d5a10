import type { BillingSettings } from '@vpn/billing';
import type { ClientContext } from '../context.js';
import { formatBytes } from './format.js';

/**
 * What the free trial gives under the settings in force, in the customer's language: "3 days and
 * 10 GB of traffic", or "7 days with unlimited traffic" when `trial.trafficLimitBytes` is unset.
 * Every text that offers the trial names its real cap through this.
 */
export function trialTerms(ctx: ClientContext, settings: Pick<BillingSettings, 'trialDays' | 'trialTrafficBytes'>): string {
  const days = ctx.t('common.units.days', { count: settings.trialDays });
  if (settings.trialTrafficBytes === null) return ctx.t('client.trial.terms.unlimited', { days });
  return ctx.t('client.trial.terms.limited', { days, traffic: formatBytes(settings.trialTrafficBytes, ctx.i18n.language) });
}
