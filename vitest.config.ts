import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // In Chromium, by their own config (`npm run test:browser`, vitest.browser.config.ts).
    exclude: ['**/node_modules/**', 'test/browser-store/**', '**/*.browser.test.ts'],
    setupFiles: ['test/setup/deny-network.ts'],
    globalSetup: ['test/setup/build-knowledge.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
// vitest loads the default export of its config file; this is the one default export the project allows.
// eslint-disable-next-line no-restricted-syntax
export default config;
