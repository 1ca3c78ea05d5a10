import { config } from '@vpn/eslint-config';

// The dashboard's bundle and its Vite config are not part of the type-checked sources.
export default [{ ignores: ['web/dist/**', 'web/vite.config.ts', 'web/test-artifacts/**'] }, ...config(import.meta.dirname)];
