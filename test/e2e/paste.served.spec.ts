/**
 * Served mode (`mamori serve`, the store the CLI's SQLite behind the local API): the paste flow of 身に覚えのない請求
 * at a phone and a desktop size; what was confirmed is in the server's store after a reload.
 */
import { expect, test } from '@playwright/test';
import { firstScreen, sizes } from './flows.ts';
import { pasteDiscard, pasteNothing, pasteThenMatch } from './paste-flows.ts';

interface Served {
  origin: string;
  url: string;
  stop(): Promise<void> | void;
}
const helper = '../helpers/serve.ts';
const start = async (): Promise<Served> => ((await import(helper)) as { serve(): Promise<Served> }).serve();

let server: Served;
test.beforeEach(async () => {
  server = await start();
});
test.afterEach(async () => {
  await server?.stop();
});

for (const size of sizes) {
  test.describe(`${size.name} paste`, () => {
    test.use({ viewport: size.viewport });

    test('a pasted transactions page is stored through the server and explains the statement', async ({
      page,
    }) => {
      await firstScreen(page, server.url);
      await pasteThenMatch(page);
      // The server's store keeps it: a fresh page (a new worker) matches the stored statement again.
      await page.reload();
      await page.getByRole('navigation').getByRole('link', { name: '身に覚えのない請求' }).click();
      await page.getByLabel('カードの利用明細（CSV）').setInputFiles('samples/ledger/vpass.csv');
      await page.getByRole('button', { name: '照らし合わせる' }).click();
      await expect(
        page.getByTestId('charges-table').locator('tr', { hasText: '503-0000004-0000004' }),
      ).toContainText('貼り付けた取引一覧');
    });

    test('a paste without order data shows the guide; 「保存しない」 stores nothing', async ({ page }) => {
      await firstScreen(page, server.url);
      await pasteNothing(page);
      await pasteDiscard(page);
    });
  });
}
