/**
 * Bundles a bench bot into one JavaScript file, so it runs on plain `node` as production does
 * (`tsup` bundles): under `tsx` a process carries the TypeScript loader's own thread and
 * transpiled sources, about 35 MB of RSS that is not the bot's.
 *
 * Every dependency is bundled in; the few that Sequelize loads by a computed `require` (the `pg`
 * driver) are found at run time through `NODE_PATH` pointing at pnpm's hoisted store.
 */
import { join } from 'node:path';
import { build } from 'tsup';

export const BUNDLE_DIR = join(import.meta.dirname, '.bundle');

/** pnpm's store of every installed package: where the bundle's computed `require`s are found. */
export const HOISTED_NODE_PATH = join(import.meta.dirname, '..', '..', 'node_modules', '.pnpm', 'node_modules');

export async function bundle(entry: string, name: string): Promise<string> {
  await build({
    entry: { [name]: entry },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    outDir: BUNDLE_DIR,
    noExternal: [/^(?!pg-hstore$|pg-native$).*/],
    // Optional drivers Sequelize and pg only load on request.
    external: ['pg-native', 'pg-hstore'],
    // CommonJS dependencies call require(); in an ES module it has to be made.
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    // node-fetch (grammY's transport on Node) checks `signal.constructor.name === 'AbortSignal'`;
    // esbuild renames colliding classes (AbortSignal2) unless names are kept, and every call fails.
    keepNames: true,
    // Non-ASCII escaped: V8 keeps every script's source in memory, and one character outside
    // Latin-1 (a Cyrillic locale string, an emoji in a comment) makes all 8 MB of it two bytes per
    // character — 8 MB of RSS that production (npm packages loaded from node_modules) does not have.
    esbuildOptions(options) {
      options.charset = 'ascii';
    },
    splitting: false,
    sourcemap: false,
    silent: true,
    clean: false,
    config: false,
  });
  return join(BUNDLE_DIR, `${name}.js`);
}
