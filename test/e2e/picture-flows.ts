/**
 * A picture checked in the page (issue 13): a screenshot dropped, picked or pasted goes to the engine worker, which
 * reads its QR codes and its text (tesseract.js from the app's own origin) and checks it; the page shows the values
 * as read beside the picture. Shared by the static and the served specs.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const pictures = 'test/fixtures/pictures';
const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/** Drops one picture on the check's box, as a person drags a screenshot from the file manager. */
export async function dropPicture(page: Page, name: string) {
  const ext = name.split('.').pop()!;
  const dt = await page.evaluateHandle(
    (f) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      return d;
    },
    { name, type: types[ext] ?? '', bytes: [...readFileSync(`${pictures}/${name}`)] },
  );
  await page.getByTestId('check-drop').dispatchEvent('drop', { dataTransfer: dt });
}

/** Pastes one picture anywhere on the check screen, as Ctrl+V (or the phone's 「ペースト」) does. */
export async function pastePicture(page: Page, name: string) {
  const ext = name.split('.').pop()!;
  await page.evaluate(
    (f) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d, bubbles: true }));
    },
    { name, type: types[ext] ?? '', bytes: [...readFileSync(`${pictures}/${name}`)] },
  );
}

export async function openCheck(page: Page, origin: string) {
  await page.goto(origin + '/#/check');
  await expect(page.getByRole('heading', { level: 1, name: 'このメールは本物？' })).toBeVisible();
}

/** The rendered Japanese SMS phishing screenshot: phishing, the URL as read with its confidence, the compare line. */
export async function phishingScreenshot(page: Page) {
  await dropPicture(page, 'sms-phish-ja.png');
  await expect(page.getByTestId('ocr-progress')).toContainText('画像の文字を読み取っています');
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing', { timeout: 60_000 });
  await expect(verdict).toContainText('フィッシング');
  const read = verdict.getByTestId('picture-read');
  await expect(read).toContainText('画像から文字を読み取って判定しました');
  await expect(read).toContainText('読み取った内容を画像と見比べてください');
  const url = read.locator('li[data-read="url"]').first();
  await expect(url).toContainText('https://amazon-co-jp.account-verify.top/login');
  await expect(url).toContainText(/（確度 \d+%）/);
  // The picture itself, beside the values: an object URL shown as an image only.
  await expect(read.locator('img.picture-thumb')).toHaveAttribute('src', /^blob:/);
  expect(await read.locator('img.picture-thumb').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(780);
  await expect(page.getByTestId('ocr-progress')).toHaveCount(0);
  // Into the case as what was read from it.
  await verdict.getByRole('button', { name: 'わたしのケースに入れる' }).click();
  await expect(verdict.getByRole('button', { name: 'ケースに入れました' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.error')).toHaveCount(0);
}

/** An ordinary message from family, as a screenshot: not flagged. */
export async function ordinaryScreenshot(page: Page) {
  await pastePicture(page, 'sms-ordinary-ja.png');
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'unrelated', { timeout: 60_000 });
  await expect(verdict.getByTestId('picture-read')).toBeVisible();
  await verdict.getByText('詳しく').click();
  await expect(verdict.locator('[data-finding].sev-high, [data-finding].sev-critical')).toHaveCount(0);
}

/** A picture holding only a QR code to a look-alike domain (no OCR text): phishing, the decoded URL shown. */
export async function qrPicture(page: Page, name = 'qr-lookalike.png') {
  await dropPicture(page, name);
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing', { timeout: 60_000 });
  await expect(verdict.locator('li[data-read="qr"]')).toContainText(
    'https://amazon-co-jp.verify-account.top/signin?id=8812',
  );
  await verdict.getByText('詳しく').click();
  await expect(verdict.locator('[data-finding="qr.link"]')).toBeVisible();
}

/** An English mail screenshot whose sender domain OCR is unsure of: marked uncertain, read in part, never genuine. */
export async function uncertainScreenshot(page: Page) {
  await dropPicture(page, 'mail-phish-en.png');
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing', { timeout: 60_000 });
  const read = verdict.getByTestId('picture-read');
  await expect(read.locator('li[data-uncertain="true"]').first()).toContainText('読み取りが不確か');
  // The core's input.partial (ocr-uncertain: an info finding, not listed among the signs) is said beside it.
  await expect(read).toContainText('この結果は「本物」とは判定しません');
  await expect(read).not.toContainText('読み取れなかった部分があります');
}
