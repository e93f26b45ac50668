/**
 * The Web Share Target (issue 11): the manifest Chromium parses without an error, with a POST multipart share_target
 * taking text, a URL and pictures; and the service worker's handler, given the share sheet's form, opens the check
 * with it (a shared text, a shared screenshot), without any request leaving the origin.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { phishingText } from './flows.ts';
import { dropPicture, openCheck, pictures } from './picture-flows.ts';
import { startStatic } from './static-server.ts';

let server: Awaited<ReturnType<typeof startStatic>>;
test.beforeAll(async () => {
  server = await startStatic();
});
test.afterAll(async () => {
  await server.stop();
});

/** Opens the app and waits until its service worker controls the page (a reload, the first time). */
async function controlled(page: Page) {
  await page.goto(server.origin + '/');
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** Posts the share sheet's form to the share target, as Android does, and opens where the service worker sends it. */
async function share(
  page: Page,
  form: { text?: string; url?: string; file?: { name: string; type: string } },
) {
  const file = form.file ? { ...form.file, bytes: [...readFileSync(`${pictures}/${form.file.name}`)] } : null;
  const to = await page.evaluate(
    async ({ text, url, file }) => {
      const fd = new FormData();
      if (text) fd.append('text', text);
      if (url) fd.append('url', url);
      if (file) fd.append('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      const res = await fetch('./share-target', { method: 'POST', body: fd });
      return res.url;
    },
    { text: form.text, url: form.url, file },
  );
  // fetch() gives the redirect's address without its fragment; a navigation (the share sheet's) keeps `#/check`.
  expect(to).toBe(server.origin + '/?shared=1');
  await page.goto(to + '#/check');
}

test('the manifest is valid and declares a POST share target for text, links and pictures', async ({
  page,
}) => {
  await page.goto(server.origin + '/');
  const cdp = await page.context().newCDPSession(page);
  const m = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[]; data: string };
  expect(m.errors).toEqual([]);
  const manifest = JSON.parse(m.data) as {
    share_target: {
      action: string;
      method: string;
      enctype: string;
      params: { text: string; url: string; files: { name: string; accept: string[] }[] };
    };
  };
  expect(manifest.share_target).toMatchObject({
    action: './share-target',
    method: 'POST',
    enctype: 'multipart/form-data',
    params: { text: 'text', url: 'url' },
  });
  expect(manifest.share_target.params.files[0]!.accept).toEqual(
    expect.arrayContaining(['image/png', 'image/jpeg', 'image/webp']),
  );
});

test('a shared text and a shared screenshot open the check with them, nothing leaves the origin', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const foreign: string[] = [];
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u)) foreign.push(u);
  });
  await controlled(page);

  await share(page, { text: phishingText });
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing');
  await expect(page.getByLabel('メール・SMSの文面')).toHaveValue(phishingText);
  // Read once: the address no longer says so, and the cache holds nothing.
  expect(new URL(page.url()).search).toBe('');
  expect(
    await page.evaluate(async () => (await caches.open('mamori-share')).keys().then((k) => k.length)),
  ).toBe(0);

  await share(page, { file: { name: 'sms-phish-ja.png', type: 'image/png' } });
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing', { timeout: 60_000 });
  await expect(verdict.locator('li[data-read="url"]').first()).toContainText(
    'amazon-co-jp.account-verify.top',
  );
  expect(foreign).toEqual([]);
});

test('the OCR files, once used, are cached: a picture is checked again offline', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await controlled(page);
  await openCheck(page, server.origin);
  await dropPicture(page, 'sms-ordinary-ja.png');
  await expect(page.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'unrelated', {
    timeout: 60_000,
  });
  const cached = await page.evaluate(async () =>
    (await (await caches.open('mamori-ocr')).keys()).map((r) => new URL(r.url).pathname.split('/').pop()),
  );
  expect(cached).toEqual(expect.arrayContaining(['entry.js', 'worker.min.js', 'jpn.traineddata.gz']));
  await context.setOffline(true);
  await page.reload();
  await openCheck(page, server.origin);
  await dropPicture(page, 'sms-phish-ja.png');
  await expect(page.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'phishing', {
    timeout: 60_000,
  });
  await context.setOffline(false);
});

test('the 「貼り付け」 button checks a screenshot on the clipboard as a picture', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await openCheck(page, server.origin);
  await page.evaluate(
    async (bytes) => {
      const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
    },
    [...readFileSync(`${pictures}/qr-lookalike.png`)],
  );
  await page.getByRole('button', { name: '貼り付け', exact: true }).click();
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing', { timeout: 60_000 });
  await expect(verdict.locator('li[data-read="qr"]')).toContainText('amazon-co-jp.verify-account.top');
});
