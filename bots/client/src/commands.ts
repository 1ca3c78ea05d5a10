import type { I18n, Language } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { Api } from 'grammy';

const COMMANDS = ['start', 'menu', 'config', 'buy', 'subscription', 'balance', 'referral', 'support', 'doctor', 'settings'] as const;

/**
 * The bot's command list in Telegram's "/" menu, per language (the default list is Russian, the
 * source locale). Best effort: a failure is logged and the bot works without it.
 */
export async function publishCommands(api: Api, i18n: I18n, logger: Logger): Promise<void> {
  const list = (language: Language) =>
    COMMANDS.map((command) => ({ command, description: i18n.t(language, `client.commands.${command}`) }));
  try {
    await api.setMyCommands(list('ru'));
    for (const language of i18n.languages) await api.setMyCommands(list(language), { language_code: language });
  } catch (err) {
    logger.warn({ err }, 'could not publish the command list');
  }
}
