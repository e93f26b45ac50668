/**
 * Static mode: a screenshot checked in the page (OCR and QR in the engine worker, tesseract.js's files from the
 * app's own origin), at a phone and a desktop size; no request leaves the origin while it runs.
 */
import { expect, test } from '@playwright/test';
import { sizes } from './flows.ts';
import {
  openCheck,
  ordinaryScreenshot,
  phishingScreenshot,
  qrPicture,
  uncertainScreenshot,
} from './picture-flows.ts';
import { startStatic } from './static-server.ts';

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

    test('screenshots and a QR code are checked in the page, nothing leaves the origin', async ({
      page,
      context,
    }) => {
      test.setTimeout(180_000);
      const foreign: string[] = [];
      const errors: string[] = [];
      const ocr: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
        if (u.includes('/ocr/')) ocr.push(new URL(u).pathname.split('/').pop()!);
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });

      await openCheck(page, server.origin);
      // Nothing of the OCR is fetched before a picture is checked.
      expect(ocr).toEqual([]);
      await phishingScreenshot(page);
      await page.screenshot({ path: test.info().outputPath(`picture-${size.name}.png`), fullPage: true });
      expect(ocr).toEqual(
        expect.arrayContaining(['worker.min.js', 'jpn.traineddata.gz', 'eng.traineddata.gz']),
      );
      await ordinaryScreenshot(page);
      await qrPicture(page);
      await uncertainScreenshot(page);
      await page.screenshot({ path: test.info().outputPath(`qr-${size.name}.png`), fullPage: true });

      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}
