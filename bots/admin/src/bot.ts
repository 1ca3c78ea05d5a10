import { answerCallbackMiddleware, createBot } from '@vpn/telegram-kit';
import type { Bot } from 'grammy';
import type { AdminContext, AdminSession } from './context.js';
import type { AdminBotDeps } from './deps.js';
import { createFallbackFeature } from './features/fallback.js';
import type { FeatureDeps } from './features/feature-deps.js';
import { createHomeFeature } from './features/home/index.js';
import { staffGate } from './middlewares/staff.middleware.js';
import { createSections } from './sections.js';

/** Per-admin updates per window: generous (staff click fast through lists), still a brake on a stolen account. */
const ADMIN_RULE = { limit: 60, windowMs: 10_000 };

/**
 * The admin bot: the kit's shared middleware (error boundary, logger, sequentialize, Redis
 * session, i18n), then the staff gate, then the sections. The kit's general limit and fallback
 * are off: both answer, and a stranger must get no answer at all. Nothing connects here.
 */
export function createAdminBot(deps: AdminBotDeps): Bot<AdminContext> {
  return createBot<AdminSession, AdminContext>(deps.token, {
    apiRoot: deps.apiRoot,
    botInfo: deps.botInfo,
    logger: deps.logger,
    redis: deps.redis,
    i18n: deps.i18n,
    prefix: deps.prefix ?? 'admin:',
    session: { initial: () => ({}), getSessionKey: (ctx) => ctx.from?.id.toString() },
    resolveLanguage: (ctx) => (ctx.from ? ctx.session.language : undefined),
    saveLanguage: (ctx, language) => void (ctx.session.language = language),
    rateLimit: { general: false },
    fallback: false,
    features: (kit) => {
      const fd: FeatureDeps = { ...deps, timeZone: deps.timeZone ?? 'Europe/Moscow', now: deps.now ?? (() => new Date()) };
      const sections = createSections(fd);
      return [
        // 1. Only staff get past this point; nothing before it answers.
        staffGate({ db: deps.db, logger: deps.logger }),
        // 2. Every button press is answered once, whatever happens below.
        answerCallbackMiddleware<AdminContext>(),
        // 3. A brake per admin (answers, so only after the gate).
        kit.limit('general', deps.rateLimit ?? ADMIN_RULE),
        // 4. The main menu, the language switch and each section's entry.
        createHomeFeature(sections),
        // 5. The sections' buttons and text answers.
        ...sections.map((s) => s.composer),
        // 6. What nobody handled.
        createFallbackFeature(),
      ];
    },
  });
}
