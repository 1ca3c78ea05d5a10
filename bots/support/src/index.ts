export { createSupportBot, type SupportBotDeps } from './bot.js';
export { checkForumRights } from './startup-check.js';
