import type { BillingContext } from './context.js';

/** What the checkout offers about saving a card for automatic renewal. */
export interface CardSaveOffer {
  /** The shop has recurring payments: the checkout shows the choice (and asks the provider to save the card). */
  offered: boolean;
  /** How the choice starts: the operator's preset, unticked for a customer who switched auto-renew off. */
  preset: boolean;
}

export function createCardSaveService(ctx: BillingContext) {
  return {
    /**
     * Whether the checkout of `userId` offers saving the card for automatic renewal, and how the
     * button starts (settings `payments.recurringEnabled`, `autoRenew.saveCardDefault`). A customer
     * who switched auto-renew off (a saved card, auto-renew off) starts unticked: they stay off
     * after a manual renewal unless they tick it again.
     */
    async offer(userId: number): Promise<CardSaveOffer> {
      const { recurringEnabled, saveCardDefault } = await ctx.settings();
      if (!recurringEnabled) return { offered: false, preset: false };
      const sub = await ctx.repos.subscriptions.getCurrentForUser(userId);
      const switchedOff = sub !== null && !sub.isTrial && !sub.autoRenew && sub.savedPaymentMethodId !== null;
      return { offered: true, preset: saveCardDefault && !switchedOff };
    },
  };
}

export type CardSaveService = ReturnType<typeof createCardSaveService>;
