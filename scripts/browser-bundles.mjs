// Bundles the Web Workers that run the core in a browser (esbuild, platform=browser, minified), with the built
// knowledge (dist/knowledge/<part>.json) inlined. Used by the worker-context test and by `npm run bench`; the web
// app's build uses the same entries.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const workers = {
  check: 'src/interfaces/worker/check-worker.ts',
  reconcile: 'src/interfaces/worker/reconcile-worker.ts',
};

/** Resolves `mamori:knowledge/<part>` to the built part. */
const knowledgePlugin = {
  name: 'mamori-knowledge',
  setup(b) {
    b.onResolve({ filter: /^mamori:knowledge\// }, (args) => ({
      path: join(root, 'dist', 'knowledge', `${args.path.slice('mamori:knowledge/'.length)}.json`),
    }));
    b.onLoad({ filter: /dist[\\/]knowledge[\\/].*\.json$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'json',
    }));
  },
};

/**
 * Builds one worker; returns its code and the modules it holds (from esbuild's metafile), so callers can check
 * what is inside (zod, zxcvbn, node built-ins must not be).
 */
export async function bundleWorker(name, { minify = true } = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [workers[name]],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    minify,
    metafile: true,
    legalComments: 'none',
    plugins: [knowledgePlugin],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  return { code, inputs: Object.keys(result.metafile.inputs) };
}
