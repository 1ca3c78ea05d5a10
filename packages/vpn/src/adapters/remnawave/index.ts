export { createRemnawaveAdapter, type RemnawaveAdapterOptions } from './remnawave.adapter.js';
export {
  REMNAWAVE_NEVER,
  fromRemnawaveExpireAt,
  fromRemnawaveTrafficLimit,
  toRemnawaveExpireAt,
  toRemnawaveTrafficLimit,
} from './remnawave.mapping.js';
