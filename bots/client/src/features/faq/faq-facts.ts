import type { ClientContext } from '../../context.js';
import { PLATFORMS } from '../../context.js';
import { once } from '../../ui/memo.js';
import { trialTerms } from '../../ui/trial-terms.js';
import type { FeatureDeps } from '../feature-deps.js';

type FactDeps = Pick<FeatureDeps, 'billing' | 'methods' | 'apps' | 'db'>;

/** `{{name}}` or `{{menu.config}}` in an answer. */
const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w.]*)\s*\}\}/g;

/** Main-menu buttons an answer may point to as `{{menu.<button>}}`. */
const MENU_BUTTONS = [
  'subscription',
  'config',
  'buy',
  'trial',
  'referral',
  'faq',
  'usage',
  'settings',
  'support',
  'doctor',
  'balance',
] as const;

/** A label without its leading emoji, for running text ("Card or SBP", not "💳 Card or SBP"). */
const plain = (text: string) => text.replace(/^[^\p{L}\p{N}]+/u, '').trim();

/**
 * The facts a FAQ answer may name, taken from the configuration in force so the answer stays true
 * when an operator changes it: `{{trial}}` (what the trial gives, or that there is none),
 * `{{paymentMethods}}` (the methods offered at checkout now), `{{apps}}` (the apps the in-bot
 * guides suggest, per platform; WireGuard's only while a WireGuard server is in service) and
 * `{{menu.<button>}}` (a main-menu button's label, so a path named in an answer exists).
 */
async function facts(ctx: ClientContext, deps: FactDeps): Promise<Record<string, string>> {
  const [settings, methods, catalog, servers] = await Promise.all([
    deps.billing.settings(),
    deps.methods.offered(),
    deps.apps.get(),
    deps.db.repos.servers.listActive(),
  ]);
  const platforms = (kind: 'vless' | 'wireguard') =>
    PLATFORMS.filter((p) => catalog[kind][p].length > 0).map(
      (p) => `${ctx.t(`client.guides.platforms.${p}`)}: ${catalog[kind][p].map((a) => a.name).join(', ')}`,
    );
  const wireguard = servers.some((s) => s.panelKind === 'wg-easy');
  const vless = servers.some((s) => s.panelKind !== 'wg-easy');
  const apps = [
    ...(vless || !wireguard ? platforms('vless') : []),
    ...(wireguard ? [`WireGuard — ${platforms('wireguard').join('; ')}`] : []),
  ];
  return {
    trial: settings.trialEnabled ? trialTerms(ctx, settings) : ctx.t('client.faq.noTrial'),
    paymentMethods: methods.map((m) => plain(ctx.t(`client.checkout.methods.${m}`))).join(', '),
    apps: apps.join('\n'),
  };
}

/**
 * An answer with its placeholders filled from {@link facts}. A placeholder nobody knows (an
 * admin's typo) is dropped and logged: a customer never reads `{{…}}`.
 */
export async function fillFaqAnswer(ctx: ClientContext, deps: FactDeps, answer: string): Promise<string> {
  if (!answer.includes('{{')) return answer;
  const known = await once(ctx, 'faq-facts', () => facts(ctx, deps));
  return answer.replace(PLACEHOLDER, (whole, name: string) => {
    if (name in known) return known[name] as string;
    const menu = MENU_BUTTONS.find((b) => name === `menu.${b}`);
    if (menu) return ctx.t(`client.menu.${menu}`);
    ctx.logger.warn({ placeholder: whole }, 'FAQ answer names an unknown placeholder; dropped');
    return '';
  });
}
