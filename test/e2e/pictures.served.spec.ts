/**
 * Served mode (`mamori serve`): the same picture checks through the local server, which serves the OCR files under
 * its CSP (`script-src 'self' 'wasm-unsafe-eval'`, `worker-src 'self'`, `connect-src 'self'`); no request leaves the
 * origin, and the page reports no CSP refusal.
 */
import { expect, test } from '@playwright/test';
import { sizes } from './flows.ts';
import { openCheck, ordinaryScreenshot, phishingScreenshot, qrPicture } from './picture-flows.ts';

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
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport });

    test('screenshots and a QR code are checked in the served page, nothing leaves the origin', async ({
      page,
      context,
    }) => {
      test.setTimeout(180_000);
      const foreign: string[] = [];
      const errors: string[] = [];
      context.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(server.url);
      await openCheck(page, server.origin);
      await phishingScreenshot(page);
      await page.screenshot({
        path: test.info().outputPath(`served-picture-${size.name}.png`),
        fullPage: true,
      });
      await ordinaryScreenshot(page);
      await qrPicture(page, 'qr-lookalike.jpg');
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}

test('the OCR files are served from the app, as they are, and cached for good (their folder is versioned)', async ({
  request,
}) => {
  const sw = await (await request.get(server.origin + '/sw.js')).text();
  expect(sw).toContain('share-target.js');
  // The folder's name comes from the build (tesseract.js's and its core's versions).
  const { readdirSync } = await import('node:fs');
  const [dir] = readdirSync('dist/web/ocr');
  for (const [name, type] of [
    ['entry.js', /javascript/],
    ['tesseract-core-simd-lstm.wasm', /application\/wasm/],
    ['jpn.traineddata.gz', /./],
  ] as const) {
    const res = await request.get(`${server.origin}/ocr/${dir}/${name}`);
    expect(res.status(), name).toBe(200);
    expect(res.headers()['content-type'], name).toMatch(type);
    expect(res.headers()['content-encoding'], name).toBeUndefined();
    expect(res.headers()['cache-control'], name).toContain('immutable');
  }
});
