import type { KitTools } from '@vpn/telegram-kit';
import type { ClientContext } from '../context.js';
import type { ClientBotDeps } from '../deps.js';
import type { Screens } from '../ui/screens.js';

/** What every feature factory receives: the bot's dependencies, the screen registry and the kit's limiters. */
export interface FeatureDeps extends ClientBotDeps {
  screens: Screens;
  kit: KitTools<ClientContext>;
  timeZone: string;
  now: () => Date;
}
