// The web app (src/interfaces/web): React, built by Vite into dist/web/ (static files any host can serve, and what
// `mamori serve` serves). The core runs in a dedicated Web Worker (engine/engine-worker.ts) with the built knowledge
// (dist/knowledge/*.json, made by `node scripts/build.mjs` first) bundled through `mamori:knowledge/<part>`.
// A service worker (vite-plugin-pwa, generateSW) caches every file, so the app installs and works offline.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));

/** `mamori:knowledge/<part>` → dist/knowledge/<part>.json (as scripts/browser-bundles.mjs does for esbuild). */
function knowledge(): Plugin {
  return {
    name: 'mamori-knowledge',
    enforce: 'pre',
    resolveId(id) {
      if (!id.startsWith('mamori:knowledge/')) return null;
      const file = join(root, 'dist', 'knowledge', `${id.slice('mamori:knowledge/'.length)}.json`);
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`node scripts/build.mjs\` first`);
      return file;
    },
  };
}

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The OCR files a picture's check needs, served from the app's own origin (never a CDN): tesseract.js's browser
 * worker, its WebAssembly core with SIMD and without (each a small loader + its .wasm, which the loader fetches from
 * its own folder), and the jpn + eng `best_int` models as installed. One folder named by the versions, so a new
 * version never meets an old file in a cache. They are fetched only when a picture is checked.
 */
const OCR_DIR = `ocr/${versionOf('tesseract.js')}-${versionOf('tesseract.js-core')}/`;
const OCR_CORE = { simd: 'tesseract-core-simd-lstm.js', plain: 'tesseract-core-lstm.js' };
function ocrFiles(): Record<string, string> {
  const core = pkgDir('tesseract.js-core');
  const model = (lang: string) =>
    join(pkgDir(`@tesseract.js-data/${lang}`), '4.0.0_best_int', `${lang}.traineddata.gz`);
  return {
    'worker.min.js': join(pkgDir('tesseract.js'), 'dist', 'worker.min.js'),
    ...Object.fromEntries(
      Object.values(OCR_CORE).flatMap((js) => [
        [js, join(core, js)],
        [js.replace(/\.js$/, '.wasm'), join(core, js.replace(/\.js$/, '.wasm'))],
      ]),
    ),
    'jpn.traineddata.gz': model('jpn'),
    'eng.traineddata.gz': model('eng'),
  };
}

/** `mamori:ocr-assets`: where the OCR files are, relative to the app's root (the engine worker imports it). */
function ocrAssetsModule(): Plugin {
  return {
    name: 'mamori-ocr-assets',
    enforce: 'pre',
    resolveId: (id) => (id === 'mamori:ocr-assets' ? '\0mamori:ocr-assets' : null),
    load: (id) =>
      id === '\0mamori:ocr-assets'
        ? `export const OCR_DIR = ${JSON.stringify(OCR_DIR)};\nexport const OCR_CORE = ${JSON.stringify(OCR_CORE)};`
        : null,
  };
}

/**
 * The worker's entry (`entry.js`): tesseract.js's browser worker with its console silenced (the engine prints
 * warnings for every model it loads) and `fetch` kept to the app's own origin (tesseract.js would fetch a missing
 * model from a CDN; here that fails instead, as the Node worker's entry does).
 */
const OCR_ENTRY = `// mamori: tesseract.js's worker, silenced and kept to this origin.
(() => {
  const own = self.location.origin;
  const fetchOwn = self.fetch.bind(self);
  self.fetch = (input, init) =>
    new URL(typeof input === 'string' ? input : input.url, self.location.href).origin === own
      ? fetchOwn(input, init)
      : Promise.reject(new Error('mamori: OCR fetches only from this app'));
  for (const k of ['log', 'info', 'warn', 'error', 'debug']) console[k] = () => {};
})();
importScripts('worker.min.js');
`;

/** Copies the OCR files into dist/web/<OCR_DIR> as they are (source maps and the other core variants left out). */
function ocrAssetsCopy(): Plugin {
  return {
    name: 'mamori-ocr-copy',
    apply: 'build',
    generateBundle() {
      for (const [name, file] of Object.entries(ocrFiles()))
        this.emitFile({ type: 'asset', fileName: OCR_DIR + name, source: readFileSync(file) });
      this.emitFile({ type: 'asset', fileName: OCR_DIR + 'entry.js', source: OCR_ENTRY });
    },
  };
}

export const config = defineConfig({
  root: join(root, 'src/interfaces/web'),
  base: './',
  publicDir: join(root, 'src/interfaces/web/public'),
  plugins: [
    knowledge(),
    ocrAssetsModule(),
    ocrAssetsCopy(),
    react(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'mamori（守り）',
        short_name: 'mamori',
        description: 'Amazonを名乗る詐欺・身に覚えのない請求・乗っ取りに、この端末の中だけで対処します。',
        lang: 'ja',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1d4f91',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
        // Sharing an SMS, a mail's text, a link, a screenshot or a mail file from the phone's share sheet opens the
        // check with it: the form is POSTed to the service worker (public/share-target.js), which keeps it in this
        // device's cache and opens the check; it never reaches a server.
        share_target: {
          action: './share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: {
            title: 'title',
            text: 'text',
            url: 'url',
            files: [
              {
                name: 'file',
                accept: [
                  'image/png',
                  'image/jpeg',
                  'image/webp',
                  'message/rfc822',
                  'text/plain',
                  '.eml',
                  '.txt',
                ],
              },
            ],
          },
        },
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest,zip,csv}'],
        // The OCR files (about 8 MB) are not precached: a phone installing the app would fetch them all for a
        // feature it may never use. They are cached on first use instead (below), so a picture checked once can be
        // checked again offline.
        globIgnores: ['ocr/**'],
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/ocr\/[^/]+\/[^/]+$/.test(url.pathname),
            handler: 'CacheFirst',
            options: {
              cacheName: 'mamori-ocr',
              expiration: { maxEntries: 16 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // The Web Share Target's POST handler (it must run in the service worker: the share sheet posts a form).
        importScripts: ['share-target.js'],
      },
    }),
  ],
  // The demo's own sample files (the same the CLI's `mamori demo` reads), for 「サンプルで試す」.
  // iconv-lite (which the .msg reader asks to decode legacy code pages) needs Node's Buffer: the page decodes with
  // its own TextDecoder instead (engine/iconv-shim.ts).
  resolve: {
    conditions: ['browser'],
    alias: {
      'mamori-samples': join(root, 'samples'),
      'iconv-lite': join(root, 'src/interfaces/web/engine/iconv-shim.ts'),
    },
  },
  // The engine worker is bundled apart: it needs the knowledge too.
  worker: { format: 'es', plugins: () => [knowledge(), ocrAssetsModule()] },
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  build: {
    outDir: join(root, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4000,
    // Every asset a file of its own: the CSP's connect-src 'self' refuses data: URLs.
    assetsInlineLimit: 0,
  },
});

// Vite loads the default export of its config file (as vitest does; the project's one allowed kind).
// eslint-disable-next-line no-restricted-syntax
export default config;
