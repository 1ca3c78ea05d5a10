export { createSupportBot, type SupportBotDeps } from './bot.js';
