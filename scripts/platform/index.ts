/** The platform harness: what `npm start` (the sandbox) and the end-to-end tests share. */
export {
  startOutsideWorld,
  SANDBOX_CLIENT_BOT_TOKEN,
  SANDBOX_CLIENT_BOT_USERNAME,
  SANDBOX_PROVIDERS,
  SANDBOX_STAFF_USER_ID,
  SANDBOX_SUPPORT_BOT_TOKEN,
  SANDBOX_SUPPORT_CHAT_ID,
  SANDBOX_ADMIN_BOT_TOKEN,
  SANDBOX_OWNER_ID,
  type OutsideWorld,
  type OutsideWorldOptions,
  type SandboxProvider,
} from './outside-world.js';
export { startPlatform, preparePlatformDatabase, sandboxEnv, type Platform, type PlatformOptions } from './platform.js';
export { PLATFORM_PROCESSES, SERVICE_NAMES, type PlatformProcess, type ServiceName } from './processes.js';
export { startService, stopAllServices, type RunningService, type ServiceOutput, type ServiceSpec } from './child.js';
export { freePort, waitForHttp } from './ports.js';
