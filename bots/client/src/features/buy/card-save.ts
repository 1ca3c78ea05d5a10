import type { CardSaveOffer } from '@vpn/billing';
import type { PaymentProvider as ProviderName } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import { once } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';

/** Whether this checkout offers saving the card (once per update), and whether it is ticked now. */
export async function cardSaveChoice(ctx: ClientContext, deps: FeatureDeps): Promise<CardSaveOffer & { ticked: boolean }> {
  const offer = await once(ctx, 'cardSave', () => deps.billing.cardSave.offer(ctx.customer.id));
  return { ...offer, ticked: offer.offered && (ctx.session.checkout?.saveCard ?? offer.preset) };
}

/** Whether a payment with `provider` saves the card: the provider can, the shop has recurring payments, the customer ticked it. */
export async function savesCard(ctx: ClientContext, deps: FeatureDeps, provider: ProviderName): Promise<boolean> {
  return deps.payments.get(provider).capabilities.savedMethods && (await cardSaveChoice(ctx, deps)).ticked;
}

/** Whether any offered method can save a card: then the checkout says what happens and shows the button. */
export async function cardSaveShown(ctx: ClientContext, deps: FeatureDeps): Promise<boolean> {
  const methods = await deps.methods.offered();
  return methods.some((m) => deps.payments.get(m).capabilities.savedMethods) && (await cardSaveChoice(ctx, deps)).offered;
}
