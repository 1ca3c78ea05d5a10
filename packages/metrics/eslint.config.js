import { config } from '@vpn/eslint-config';

export default config(import.meta.dirname);
