import { createAdminsSection } from './features/admins/index.js';
import { createAuditSection } from './features/audit/index.js';
import { createBroadcastsSection } from './features/broadcasts/index.js';
import { createCustomersSection } from './features/customers/index.js';
import { createDashboardSection } from './features/dashboard/index.js';
import type { FeatureDeps } from './features/feature-deps.js';
import { createPaymentsSection } from './features/payments/index.js';
import { createPlansSection } from './features/plans/index.js';
import { createPromoSection } from './features/promo/index.js';
import { createServersSection } from './features/servers/index.js';
import { createSettingsSection } from './features/settings/index.js';
import type { Section } from './ui/section.js';

/**
 * The admin bot's sections, in main-menu order. Adding one: a folder under `features/` whose
 * factory returns a {@link Section} (unique short id, title key, permission), and a line here.
 */
export function createSections(deps: FeatureDeps): Section[] {
  return [
    createDashboardSection(deps),
    createCustomersSection(deps),
    createPaymentsSection(deps),
    createPlansSection(deps),
    createPromoSection(deps),
    createServersSection(deps),
    createBroadcastsSection(deps),
    createSettingsSection(deps),
    createAdminsSection(deps),
    createAuditSection(deps),
  ];
}
