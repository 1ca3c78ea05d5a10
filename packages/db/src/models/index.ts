import type { Sequelize } from 'sequelize';
import { defineBroadcastModels } from './broadcast.model.js';
import { defineCatalogModels } from './catalog.model.js';
import { defineOpsModels } from './ops.model.js';
import { definePaymentModels } from './payment.model.js';
import { defineSubscriptionModels } from './subscription.model.js';
import { defineSupportModels } from './support.model.js';
import { defineUserModels } from './user.model.js';

/** Defines every model on one Sequelize instance. Only repositories may use the result. */
export function defineModels(sequelize: Sequelize) {
  return {
    ...defineUserModels(sequelize),
    ...defineCatalogModels(sequelize),
    ...defineSubscriptionModels(sequelize),
    ...definePaymentModels(sequelize),
    ...defineSupportModels(sequelize),
    ...defineBroadcastModels(sequelize),
    ...defineOpsModels(sequelize),
  };
}

/** All models of one database handle. */
export type Models = ReturnType<typeof defineModels>;

export * from './broadcast.model.js';
export * from './catalog.model.js';
export * from './ops.model.js';
export * from './payment.model.js';
export * from './subscription.model.js';
export * from './support.model.js';
export * from './user.model.js';
export * from './balance.model.js';
