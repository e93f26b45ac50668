// Browser tests of the web app (test/e2e), in Debian's Chromium (never a downloaded browser). Two projects:
// "static" serves dist/web/ from a plain static server inside the test (test/e2e/static-server.ts), and "served"
// drives `mamori serve` through test/helpers/serve.ts. Each spec runs at a phone and a desktop size. Screenshots
// and traces are kept only on failure, in test-results/ (ignored by git).
import { defineConfig } from '@playwright/test';

export const config = defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'static', testMatch: /static\.spec\.ts$/ },
    { name: 'served', testMatch: /served\.spec\.ts$/ },
  ],
});

// Playwright loads the default export of its config file (as vitest does; the project's one allowed kind).
// eslint-disable-next-line no-restricted-syntax
export default config;
