/** The pure billing domain: no I/O, no clock of its own; every function takes `now`. */
export * from './pricing.js';
export * from './promo-rules.js';
export * from './subscription-dates.js';
export * from './subscription-machine.js';
export * from './ledger-machine.js';
export * from './renewal-policy.js';
export * from './referral-rules.js';
export * from './settings.js';
export * from './trial-rules.js';
export * from './plan-change.js';
export * from './plan-offer.js';
