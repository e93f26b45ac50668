/**
 * Static mode: dist/web/ from a plain static server (no API), the store in the browser. Every flow at a phone and a
 * desktop size; then offline (the service worker serves everything); and no request leaves the page's origin.
 */
import { expect, test } from '@playwright/test';
import {
  checkOutlookMsg,
  checkPdfAttachment,
  checkPhishing,
  otherBrandInEnglish,
  otherBrandPlan,
  chargesByDrop,
  chargesFromFiles,
  english,
  firstScreen,
  planAndCase,
  prevention,
  sizes,
  tonight,
} from './flows.ts';
import { startStatic } from './static-server.ts';

const statement = 'samples/ledger/vpass.csv';
const exportZip = 'samples/ledger/amazon-export.zip';

let server: Awaited<ReturnType<typeof startStatic>>;
test.beforeAll(async () => {
  server = await startStatic();
});
test.afterAll(async () => {
  await server.stop();
});

for (const size of sizes) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport });

    test('every flow, and nothing leaves the origin', async ({ page, context }) => {
      const foreign: string[] = [];
      const errors: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));

      await firstScreen(page, server.origin + '/');
      await page.screenshot({ path: test.info().outputPath(`first-${size.name}.png`), fullPage: true });
      await tonight(page);
      await page.screenshot({ path: test.info().outputPath(`tonight-${size.name}.png`), fullPage: true });
      await checkPhishing(page);
      await page.screenshot({ path: test.info().outputPath(`check-${size.name}.png`), fullPage: true });
      if (size.name === 'phone') await chargesByDrop(page, [statement, exportZip]);
      else await chargesFromFiles(page, statement, exportZip);
      await page.screenshot({ path: test.info().outputPath(`charges-${size.name}.png`), fullPage: true });
      await planAndCase(page);
      await page.screenshot({ path: test.info().outputPath(`case-${size.name}.png`), fullPage: true });
      await prevention(page);
      await english(page);

      expect(foreign).toEqual([]);
      // CSP violations and uncaught errors show up here (the 404 of /api/health is how static mode is told).
      expect(errors.filter((e) => !/404|Not Found/i.test(e))).toEqual([]);
    });

    test('an Outlook .msg is read in the page, and a broken one is a message', async ({ page, context }) => {
      const foreign: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
      });
      await page.goto(server.origin + '/');
      await checkOutlookMsg(page);
      expect(foreign).toEqual([]);
    });

    test('an attached PDF is read in the page: its QR code is found and judged', async ({
      page,
      context,
    }) => {
      const foreign: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
      });
      await page.goto(server.origin + '/');
      await checkPdfAttachment(page);
      expect(foreign).toEqual([]);
    });

    test('a fake mail of another brand leads to that brand’s plan', async ({ page }) => {
      await page.goto(server.origin + '/');
      await otherBrandPlan(page);
      await page.screenshot({ path: test.info().outputPath(`brand-plan-${size.name}.png`), fullPage: true });
    });

    test('in English, the findings name the brand in English (Rakuten Card, not 楽天カード)', async ({
      page,
    }) => {
      await page.goto(server.origin + '/');
      await otherBrandInEnglish(page);
    });

    test('the alerts screen says the watcher runs with mamori serve / mamori watch', async ({ page }) => {
      await page.goto(server.origin + '/#/alerts');
      await expect(page.locator('[data-alerts="static"]')).toContainText('mamori serve');
      await expect(page.locator('[data-alerts="static"]')).toContainText('mamori watch');
      await expect(page.getByRole('navigation').locator('.badge')).toHaveCount(0);
    });

    test('the built-in sample shows the table and the chart', async ({ page }) => {
      await page.goto(server.origin + '/#/charges');
      await page.getByRole('button', { name: 'サンプルで試す' }).click();
      const table = page.getByTestId('charges-table');
      await expect(table).toBeVisible();
      await expect(page.getByTestId('charge-chart').locator('canvas')).toBeVisible();
    });
  });
}

test('works with the network cut once the service worker is active', async ({ page, context }) => {
  await page.goto(server.origin + '/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first load may finish before the worker controls the page: a reload puts it in charge.
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await firstScreen(page, server.origin + '/');
  await checkPhishing(page);
  await page.goto(server.origin + '/#/charges');
  await page.getByRole('button', { name: 'サンプルで試す' }).click();
  await expect(page.getByTestId('charges-table')).toBeVisible();
  await context.setOffline(false);
});
