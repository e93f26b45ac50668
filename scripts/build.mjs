// Bundles the TypeScript sources into dist/mamori.js (one ESM file; dependencies stay in node_modules).
// Runs on `npm ci` (prepare), so `npx mamori` works in a fresh checkout.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/interfaces/cli/main.ts'],
  outfile: 'dist/mamori.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
