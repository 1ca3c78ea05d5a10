export { ConfigError, loadConfig, readEnv, type Env } from './load.js';
export { configOrExit, exitOnConfigError } from './exit.js';
export * from './schemas.js';
export { z } from 'zod';
