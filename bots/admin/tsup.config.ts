import { defineConfig } from 'tsup';

// Workspace packages ship TypeScript source, so they are bundled in; npm dependencies stay external.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  noExternal: [/^@vpn\//],
  clean: true,
});
