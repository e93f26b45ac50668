// Builds what the programs run: the knowledge (data/ validated once, written as per-feature JSON to
// dist/knowledge/) and the CLI bundle (dist/mamori.js and its chunks in dist/cli/; dependencies stay in node_modules).
// Runs on `npm ci` (prepare), so `npx mamori` works in a fresh checkout.
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

// 2. The CLI. postal-mime is bundled into it with one change: its decoders join a part's lines through a Blob, and
// Node 20's Blob keeps every line as a piece and reads each back with its own asynchronous step (≈2 ms a part,
// most of a mail's check time). Joined directly, the bytes are the same. Browsers' Blobs are fast; the browser
// bundles and the tests keep postal-mime as published.
const BLOB_JOIN = "return blobToArrayBuffer(new Blob(this.chunks, { type: 'application/octet-stream' }));";
const DIRECT_JOIN = `const parts = this.chunks.map((c) => typeof c === 'string' ? new TextEncoder().encode(c) : c instanceof ArrayBuffer ? new Uint8Array(c) : c);
        let size = 0;
        for (const p of parts) size += p.byteLength;
        const out = new Uint8Array(size);
        let at = 0;
        for (const p of parts) { out.set(p, at); at += p.byteLength; }
        return Promise.resolve(out.buffer);`;
const postalMimeDirectJoin = {
  name: 'postal-mime-direct-join',
  setup(b) {
    b.onResolve({ filter: /^postal-mime$/ }, (args) => ({
      path: fileURLToPath(import.meta.resolve('postal-mime', pathToFileURL(args.resolveDir + '/').href)),
    }));
    b.onLoad({ filter: /postal-mime[\\/]dist[\\/]esm[\\/][a-z0-9-]+-decoder\.js$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!code.includes('new Blob(')) return { contents: code, loader: 'js' };
      if (!code.includes(BLOB_JOIN)) {
        console.warn(
          `build: ${args.path} no longer joins parts as expected; left as published (slower in Node 20)`,
        );
        return { contents: code, loader: 'js' };
      }
      return { contents: code.replace(BLOB_JOIN, DIRECT_JOIN), loader: 'js' };
    });
  },
};
// Split at the CLI's dynamic imports (serve, watch, paste, transfer …): a command loads only the modules and the
// packages it uses (hono, imapflow … are not read by `check` or `reconcile`). Chunks of earlier builds are removed.
rmSync('dist/cli', { recursive: true, force: true });
await build({
  ...node,
  entryPoints: { mamori: 'src/interfaces/cli/main.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'cli/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [postalMimeDirectJoin],
  // The core reads CSV with csv-parse's browser build (it must run in a browser); in Node the same version's Node
  // build parses the same way on the native Buffer, instead of the browser build's Buffer written in JavaScript.
  alias: { 'csv-parse/browser/esm/sync': 'csv-parse/sync' },
});

// 3. The web app (src/interfaces/web → dist/web/, with its service worker), on the knowledge just built. Vite is a
// dev dependency: a production install without it (npm ci --omit=dev) still gets the CLI, only without the page.
let vite = null;
try {
  vite = await import('vite');
} catch {
  console.warn('build: vite is not installed; dist/web/ was not built (the CLI works without it)');
}
if (vite && process.env.MAMORI_SKIP_WEB !== '1') {
  try {
    await vite.build({
      configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
      logLevel: 'warn',
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
