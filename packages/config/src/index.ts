export { ConfigError, loadConfig, readEnv, type Env } from './load.js';
export * from './schemas.js';
export { z } from 'zod';
