/**
 * Served mode: the page from `mamori serve` (test/helpers/serve.ts: a temporary MAMORI_HOME, a free port, the
 * URL with its token), storing through the local API into the CLI's SQLite. The same flows as static mode at a
 * phone and a desktop size, and the server's security from the page's side.
 */
import { expect, test } from '@playwright/test';
import {
  checkPhishing,
  chargesFromFiles,
  english,
  firstScreen,
  planAndCase,
  prevention,
  sizes,
  tonight,
} from './flows.ts';

interface Served {
  origin: string;
  url: string;
  token: string;
  stop(): Promise<void> | void;
}
// Written by the server's helper (it lands with the local server); loaded by name so this file compiles before.
const helper = '../helpers/serve.ts';
const start = async (): Promise<Served> => ((await import(helper)) as { serve(): Promise<Served> }).serve();

// A fresh server (and store) per test: the store outlives the page, and each flow starts from nothing.
let server: Served;
test.beforeEach(async () => {
  server = await start();
});
test.afterEach(async () => {
  await server?.stop();
});

for (const size of sizes) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport });

    test('every flow stores into the local server, and nothing leaves the origin', async ({
      page,
      context,
    }) => {
      const foreign: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
      });
      await firstScreen(page, server.url);
      await expect(page.getByText('このパソコンの外には送られません')).toBeVisible();
      await tonight(page);
      await checkPhishing(page);
      await chargesFromFiles(page, 'samples/ledger/vpass.csv', 'samples/ledger/amazon-export.zip');
      await planAndCase(page);
      await prevention(page);
      await english(page);
      expect(foreign).toEqual([]);
      // What the page stored is in the server's store: a fresh page (a new worker) shows the same case.
      await page.reload();
      await page.getByRole('navigation').getByRole('link', { name: 'わたしのケース' }).click();
      await expect(page.locator('table.receipts').getByRole('cell', { name: 'R-12345' })).toBeVisible();
    });
  });
}

test('without the token the API is refused', async ({ request }) => {
  const res = await request.get(server.origin + '/api/session', { failOnStatusCode: false });
  expect([401, 403]).toContain(res.status());
});
