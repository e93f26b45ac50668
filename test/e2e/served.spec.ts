/**
 * Served mode: the page from `mamori serve` (test/helpers/serve.ts: a temporary MAMORI_HOME, a free port, the
 * URL with its token), storing through the local API into the CLI's SQLite. The same flows as static mode at a
 * phone and a desktop size, and the server's security from the page's side.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import {
  checkPhishing,
  chargesFromFiles,
  english,
  firstScreen,
  phishingMbox,
  planAndCase,
  prevention,
  sizes,
  tonight,
} from './flows.ts';

interface Served {
  origin: string;
  url: string;
  token: string;
  home: string;
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

/**
 * The real watcher (`mamori watch --mbox FILE --once --json`: no terminal shows the alert, so it stays unshown)
 * writing into the server's store (the same MAMORI_HOME). */
async function watchOnce(home: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-e2e-mbox-'));
  const mbox = join(dir, 'inbox.mbox');
  writeFileSync(mbox, phishingMbox());
  await promisify(execFile)(
    process.execPath,
    ['bin/mamori.js', 'watch', '--mbox', mbox, '--once', '--json'],
    {
      env: { ...process.env, MAMORI_HOME: home, NO_COLOR: '1' },
    },
  );
}

for (const size of sizes) {
  test.describe(`${size.name} alerts`, () => {
    test.use({ viewport: size.viewport });

    test('an alert the watcher stores appears live, is shown once, opens its plan and dismisses', async ({
      page,
    }, info) => {
      await firstScreen(page, server.url);
      const nav = page.getByRole('navigation');
      await expect(nav.locator('[data-nav="alerts"]')).toBeVisible();
      await expect(nav.locator('.badge')).toHaveCount(0);
      // The watcher runs while the page is open: the alert arrives over the stream, without a reload.
      await watchOnce(server.home);
      await expect(page.locator('[data-banner="1"]')).toBeVisible({ timeout: 15_000 });
      await expect(nav.locator('.badge')).toHaveAttribute('data-badge', '1');
      await page.screenshot({ path: info.outputPath('banner.png'), fullPage: true });
      await nav.locator('[data-nav="alerts"]').click();
      const card = page.locator('.alert-card[data-kind="phishing"]');
      await expect(card).toHaveCount(1);
      await expect(card.locator('.alert-what')).toContainText('フィッシング');
      await expect(card.locator('.alert-first')).toContainText('まずすること');
      await expect(card.locator('.new-mark')).toBeVisible();
      await page.screenshot({ path: info.outputPath('alerts.png'), fullPage: true });
      // Shown once: the store marks it shown; a fresh page no longer calls it new.
      await expect
        .poll(
          async () =>
            (
              (await (await page.request.get(server.origin + '/api/alerts')).json()) as { shown: boolean }[]
            )[0]?.shown,
        )
        .toBe(true);
      await page.reload();
      await expect(nav.locator('.badge')).toHaveAttribute('data-badge', '1');
      await expect(page.locator('.alert-banner')).toHaveCount(0);
      await expect(card.locator('.new-mark')).toHaveCount(0);
      // One tap opens its plan.
      await card.getByRole('button', { name: 'この警告の対処を見る' }).click();
      await expect(page).toHaveURL(/#\/plan$/);
      await expect(page.locator('li.step').first()).toBeVisible();
      // The mail is listed in the check flow, with its verdict.
      await nav.getByRole('link', { name: 'このメールは本物？' }).click();
      await page.getByText('見張りが読んだメールから選ぶ').click();
      const watched = page.locator('.watched-list li[data-verdict="phishing"]');
      await expect(watched).toHaveCount(1);
      await expect(watched).toContainText('お客様のアカウントは一時停止されました');
      await expect(watched).toContainText('account-verify-security.com');
      // 「詳しく」 gives the check's evidence, kept by the watcher without the mail's body.
      await watched.getByText('詳しく（根拠を見る）').click();
      await expect(watched.locator('[data-finding^="link."]').first()).toBeVisible();
      await expect(watched.locator('[data-finding]').first()).not.toContainText('{');
      await page.screenshot({ path: info.outputPath('watched.png'), fullPage: true });
      // Dismissed: gone from the screen and the store.
      await nav.locator('[data-nav="alerts"]').click();
      await card.getByRole('button', { name: '確認したので片付ける' }).click();
      await expect(card).toHaveCount(0);
      await expect(page.locator('[data-alerts="none"]')).toBeVisible();
      await expect(nav.locator('.badge')).toHaveCount(0);
      expect(await (await page.request.get(server.origin + '/api/alerts')).json()).toEqual([]);
      // The watcher's settings: the presets, the command, no password field.
      await page.getByRole('link', { name: 'メールの見張りの設定' }).click();
      await expect(page.locator('[data-preset="gmail"]')).toContainText('未確認');
      await expect(page.locator('[data-watch="command"]')).toHaveText(
        'mamori watch --preset gmail --user you@example.com',
      );
      await expect(page.locator('input[type="password"]')).toHaveCount(0);
      await page.screenshot({ path: info.outputPath('watch-settings.png'), fullPage: true });
    });
  });
}
