/** The platform harness: what `npm start` (the sandbox) and the end-to-end tests share. */
export { startOutsideWorld, SANDBOX_CLIENT_BOT_TOKEN, type OutsideWorld, type OutsideWorldOptions } from './outside-world.js';
export {
  startPlatform,
  preparePlatformDatabase,
  SERVICE_NAMES,
  type Platform,
  type PlatformOptions,
  type ServiceName,
} from './platform.js';
export { startService, type RunningService, type ServiceOutput, type ServiceSpec } from './child.js';
export { freePort, waitForHttp } from './ports.js';
