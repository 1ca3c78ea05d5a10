import { config } from '@vpn/eslint-config';

// The client bench writes its bundles (client/.bundle) and local experiments (.scratch) here.
export default [{ ignores: ['**/.bundle/**', '.scratch/**'] }, ...config(import.meta.dirname)];
