import { defineConfig } from 'vite';

// The dashboard is a static bundle the admin API serves from web/dist (same origin: its cookies
// and CSRF token need no CORS). JSX uses React's automatic runtime.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  logLevel: 'warn',
});
