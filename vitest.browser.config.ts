import { realpathSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// The browser store's and the browser picture reader's tests, in Debian's Chromium (never a downloaded browser): `npm run test:browser`. A separate
// config with its own glob, so the Node run (`vitest.config.ts`) never picks these files up.
export const config = defineConfig({
  // SQLite-WASM finds its .wasm beside its module: Vite must serve it as it is, not pre-bundle it.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  worker: { format: 'es' },
  // The .wasm is fetched by URL, not imported, so Vite checks it against fs.allow: allow the package where it
  // really is (node_modules may be a link to another checkout).
  server: {
    host: '127.0.0.1',
    fs: { allow: ['.', realpathSync('node_modules/@sqlite.org/sqlite-wasm')] },
  },
  test: {
    include: ['test/browser-store/**/*.browser.test.ts', 'test/pictures/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
        },
      }),
      // Each instance is its own browser context, so its storage starts empty: the IndexedDB full-disk test needs an
      // origin that has not opened IndexedDB yet (Chromium reads the quota then).
      instances: [
        {
          browser: 'chromium',
          name: 'chromium',
          include: ['test/browser-store/**/*.browser.test.ts', 'test/pictures/**/*.browser.test.ts'],
          exclude: ['test/browser-store/idb-full.browser.test.ts'],
        },
        {
          browser: 'chromium',
          name: 'chromium-idb-full',
          include: ['test/browser-store/idb-full.browser.test.ts'],
        },
      ],
    },
  },
});
// vitest loads the default export of its config file.
// eslint-disable-next-line no-restricted-syntax
export default config;
