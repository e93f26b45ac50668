// The web app (src/interfaces/web): React, built by Vite into dist/web/ (static files any host can serve, and what
// `mamori serve` serves). The core runs in a dedicated Web Worker (engine/engine-worker.ts) with the built knowledge
// (dist/knowledge/*.json, made by `node scripts/build.mjs` first) bundled through `mamori:knowledge/<part>`.
// A service worker (vite-plugin-pwa, generateSW) caches every file, so the app installs and works offline.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
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

export const config = defineConfig({
  root: join(root, 'src/interfaces/web'),
  base: './',
  publicDir: join(root, 'src/interfaces/web/public'),
  plugins: [
    knowledge(),
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
        // Sharing an SMS, a mail's text or a link from the phone's share sheet opens the check filled in (GET: the
        // text arrives in the query on this device only; the page reads it and clears it from the address).
        share_target: {
          action: './',
          method: 'GET',
          params: { title: 'title', text: 'text', url: 'url' },
        },
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest,zip,csv}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
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
  worker: { format: 'es', plugins: () => [knowledge()] },
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
