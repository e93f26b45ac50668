/**
 * Static mode (dist/web/ from a plain static server, the store in the browser): the paste flow of 身に覚えのない請求
 * at a phone and a desktop size, and nothing leaves the origin while a page is pasted.
 */
import { expect, test } from '@playwright/test';
import { firstScreen, sizes } from './flows.ts';
import {
  pasteButton,
  pasteDiscard,
  pasteFiles,
  pasteNothing,
  pasteStatement,
  pasteThenMatch,
  statementThenPaste,
} from './paste-flows.ts';
import { startStatic } from './static-server.ts';

let server: Awaited<ReturnType<typeof startStatic>>;
test.beforeAll(async () => {
  server = await startStatic();
});
test.afterAll(async () => {
  await server.stop();
});

for (const size of sizes) {
  test.describe(`${size.name} paste`, () => {
    test.use({ viewport: size.viewport });

    test('a pasted transactions page is shown, stored on confirm, and explains the statement', async ({
      page,
      context,
    }, info) => {
      const foreign: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
      });
      await firstScreen(page, server.origin + '/');
      await pasteThenMatch(page, (name) =>
        page.screenshot({ path: info.outputPath(`${name}-${size.name}.png`), fullPage: true }).then(() => {}),
      );
      expect(foreign).toEqual([]);
    });

    test('a paste without order data shows what was expected and the guide with its pictures', async ({
      page,
    }, info) => {
      await firstScreen(page, server.origin + '/');
      await pasteNothing(page, (name) =>
        page.screenshot({ path: info.outputPath(`${name}-${size.name}.png`), fullPage: true }).then(() => {}),
      );
    });

    test('with the statement picked first, the confirm alone shows the charges matched', async ({ page }) => {
      await firstScreen(page, server.origin + '/');
      await statementThenPaste(page);
    });

    test('a saved page is read when chosen; Your Orders gives the orders table', async ({ page }) => {
      await firstScreen(page, server.origin + '/');
      await pasteFiles(page);
    });

    test('a card statement pasted here goes to the statement import', async ({ page }) => {
      await firstScreen(page, server.origin + '/');
      await pasteStatement(page);
    });

    test('「保存しない」 stores nothing', async ({ page }) => {
      await firstScreen(page, server.origin + '/');
      await pasteDiscard(page);
    });

    test('「貼り付け」 reads the clipboard where allowed', async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
      await firstScreen(page, server.origin + '/');
      await pasteButton(page, true);
    });

    test('「貼り付け」 says how to paste by hand where the clipboard is refused', async ({ page }) => {
      await firstScreen(page, server.origin + '/');
      await pasteButton(page, false);
    });
  });
}
