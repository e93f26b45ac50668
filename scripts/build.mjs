// Builds what the programs run: the knowledge (data/ validated once, written as per-feature JSON to
// dist/knowledge/) and the CLI bundle (dist/mamori.js: one ESM file; dependencies stay in node_modules).
// Runs on `npm ci` (prepare), so `npx mamori` works in a fresh checkout.
import { build } from 'esbuild';

const node = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external' };

// 1. Knowledge: the validator is TypeScript (it shares the schemas with the tests), bundled to a tool and run.
await build({
  ...node,
  entryPoints: ['scripts/build-knowledge.ts'],
  outfile: 'dist/.tools/build-knowledge.mjs',
  logLevel: 'warning',
});
try {
  const { run } = await import(
    new URL('../dist/.tools/build-knowledge.mjs', import.meta.url).href + `?t=${Date.now()}`
  );
  run();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}

// 2. The CLI.
await build({
  ...node,
  entryPoints: ['src/interfaces/cli/main.ts'],
  outfile: 'dist/mamori.js',
  sourcemap: true,
  logLevel: 'warning',
});
