/**
 * The flows every mode must pass (static and served), at a phone and a desktop size. Each spec file gives the
 * origin to open; these steps assert on what a person sees and on stable ids in data-* attributes.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const sizes = [
  { name: 'phone', viewport: { width: 375, height: 812 } },
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
] as const;

/** A phishing SMS as a phone copies it: the brand, a threat, a deadline, a look-alike link. Written for the test. */
export const phishingText = [
  '【Amazon】お客様のアカウントは一時停止されました',
  'Amazonをご利用いただきありがとうございます。',
  'お客様のアカウントで異常なログインが検出されたため、アカウントを一時停止しました。',
  '24時間以内に以下のリンクからお支払い情報を更新してください。更新されない場合、アカウントは永久に停止されます。',
  'https://amazon-co-jp.account-verify-security.com/login',
  'Amazon.co.jp カスタマーサービス',
].join('\n');

export async function firstScreen(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: 'いま、何が起きていますか？' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('[data-choice]')).toHaveCount(7);
  await expect(
    page.getByText('この端末の外には送られません').or(page.getByText('このパソコンの外には送られません')),
  ).toBeVisible();
}

export async function tonight(page: Page) {
  await page
    .getByRole('button', { name: 'リンクを開いた／パスワードやカード番号を入力してしまった' })
    .click();
  await page.getByLabel('カード番号').check();
  // The plan for the new answer is made in the worker: wait until it is on screen, not the one before it.
  await expect(page.locator('section.tonight')).toHaveAttribute('aria-busy', 'false');
  const steps = page.locator('.tonight li.step');
  await expect(steps.first()).toBeVisible();
  expect(await steps.count()).toBeLessThanOrEqual(3);
  await expect(steps.first().getByText('いちばん大事')).toBeVisible();
  // Done records the time (and the receipt number), in a case opened for it. The step is found again by its id:
  // the case's plan replaces the first answer's once the case exists.
  const id = await steps.first().getAttribute('data-step');
  const step = page.locator(`.tonight li.step[data-step="${id}"]`);
  await step.getByLabel('受付番号').fill('R-12345');
  await step.getByRole('button', { name: 'やった' }).click();
  await expect(step.getByRole('status')).toContainText('R-12345');
  await expect(step.getByRole('status')).toContainText('済ませました');
}

export async function checkPhishing(page: Page) {
  await page.locator('[data-flow="check"]').click();
  await page.getByLabel('メール・SMSの文面').fill(phishingText);
  await page.getByRole('button', { name: '調べる' }).click();
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing');
  await expect(verdict).toContainText('フィッシング');
  await verdict.getByText('詳しく').click();
  await expect(verdict.locator('[data-finding]').first()).toBeVisible();
  await expect(verdict.locator('[data-finding^="link."]').first()).toBeVisible();
  await expect(verdict.getByText('amazon-co-jp.account-verify-security.com').first()).toBeVisible();
  // The body is text: no link in it can be followed.
  await expect(verdict.locator('pre.body a')).toHaveCount(0);
  await expect(verdict.locator('pre.body')).toContainText('アカウントを一時停止しました');
}

/** A fake 楽天カード SMS: the plan it leads to names 楽天カード and its own site, not Amazon's app. */
export async function otherBrandPlan(page: Page) {
  await page.locator('[data-flow="check"]').click();
  await page
    .getByLabel('メール・SMSの文面')
    .fill(
      '【楽天カード】お客様のカードの利用を一時停止しました。本人確認のため、こちらから情報を更新してください https://rakuten-card-verify.top/e-navi/login',
    );
  await page.getByRole('button', { name: '調べる' }).click();
  await expect(page.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'phishing');
  await page.locator('[data-verdict]').getByRole('link', { name: '何をすればいい？' }).click();
  const steps = page.locator('li.step');
  await expect(steps.first()).toBeVisible();
  await expect(page.locator('li.step[data-step="check-genuine-brand"]')).toContainText('楽天カード');
  await expect(page.locator('li.step[data-step="check-genuine"]')).toHaveCount(0);
  await expect(page.locator('li.step[data-step="report-brand"]')).toContainText('rakuten-card.co.jp');
}

/**
 * The same fake 楽天カード SMS with the page in English: the findings name the brand by its English name (Rakuten
 * Card, as `mamori check --lang en` does), not 楽天カード. Back to Japanese at the end.
 */
export async function otherBrandInEnglish(page: Page) {
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.goto(page.url().replace(/#.*$/, '') + '#/check');
  await page
    .getByLabel(/The text of the mail or SMS/)
    .fill(
      '【楽天カード】お客様のカードの利用を一時停止しました。本人確認のため、こちらから情報を更新してください https://rakuten-card-verify.top/e-navi/login',
    );
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing');
  await verdict.getByText('Details (the evidence)').click();
  const findings = verdict.locator('ul.findings [data-finding]');
  await expect(findings.first()).toBeVisible();
  await expect(verdict.locator('ul.findings')).toContainText('Rakuten Card');
  await expect(verdict.locator('ul.findings')).not.toContainText('楽天カード');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
}

/** A mail whose lure sits in an attached PDF (a QR code on its page): read in the page as the CLI reads it. */
export async function checkPdfAttachment(page: Page) {
  await page.locator('[data-flow="check"]').click();
  await page
    .getByLabel(/メールのファイル（\.eml・\.msg・\.txt）/)
    .setInputFiles('test/fixtures/pictures/mail-qr-pdf.eml');
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing');
  await verdict.getByText('詳しく').first().click();
  await expect(verdict.locator('[data-finding="qr.off-brand"]')).toBeVisible();
  // The sender line marks no space or bracket of "Amazon <no-reply@…>": only a look-alike letter is red.
  await expect(verdict.locator('[data-sender]')).toContainText('no-reply@amazon-notice-center.com');
  await expect(verdict.locator('[data-sender] mark.odd')).toHaveCount(0);
  await senderMarks(page);
}

/** A pasted mail whose sender name is Japanese with one Cyrillic letter: that letter, and only it, is marked. */
async function senderMarks(page: Page) {
  await page.goto(page.url().replace(/#.*$/, '') + '#/');
  await page.locator('[data-flow="check"]').click();
  await page
    .getByLabel('メール・SMSの文面')
    .fill(
      [
        'From: "Amаzon カスタマーサービス" <info@amazon-notice-center.com>',
        'Subject: ご注文の確認',
        'Date: Tue, 1 Dec 2026 02:10:00 +0900',
        '',
        'お客様のアカウントを確認してください https://amazon-notice-center.com/ap/signin',
      ].join('\n'),
    );
  await page.getByRole('button', { name: '調べる' }).click();
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', /phishing|suspicious/);
  await verdict.getByText('詳しく').first().click();
  await expect(verdict.locator('[data-sender]')).toContainText('カスタマーサービス');
  await expect(verdict.locator('[data-sender] mark.odd')).toHaveCount(1);
  await expect(verdict.locator('[data-sender] mark.odd')).toHaveAttribute('title', /U\+0430/);
}

/** An Outlook .msg picked from the files: read in the page (a worker of its own) and judged as the CLI judges it. */
export async function checkOutlookMsg(page: Page) {
  await page.locator('[data-flow="check"]').click();
  await page
    .getByLabel(/メールのファイル（\.eml・\.msg・\.txt）/)
    .setInputFiles('test/fixtures/mail/outlook/jp-phish.msg');
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing');
  await verdict.getByText('詳しく').click();
  await expect(verdict.locator('[data-finding]').first()).toBeVisible();
  // A .msg that is not one is a clear message, not a verdict.
  await page.getByLabel(/メールのファイル（\.eml・\.msg・\.txt）/).setInputFiles({
    name: 'broken.msg',
    mimeType: 'application/vnd.ms-outlook',
    buffer: Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(1024),
    ]),
  });
  await expect(page.getByRole('alert').filter({ hasText: '.msg ファイルは読めませんでした' })).toBeVisible();
}

export async function chargesFromFiles(page: Page, statement: string, exportZip: string) {
  await page.getByRole('navigation').getByRole('link', { name: '身に覚えのない請求' }).click();
  await page.getByLabel('カードの利用明細（CSV）').setInputFiles(statement);
  await page.getByLabel('Amazonの注文データ（任意：zip か CSV）').setInputFiles(exportZip);
  await page.getByRole('button', { name: '照らし合わせる' }).click();
  await chargesShown(page);
}

/** Drops files on the box, as a person drags them from the file manager. */
export async function chargesByDrop(page: Page, files: string[]) {
  await page.getByRole('navigation').getByRole('link', { name: '身に覚えのない請求' }).click();
  const dt = await page.evaluateHandle(
    (list) => {
      const d = new DataTransfer();
      for (const f of list) d.items.add(new File([new Uint8Array(f.bytes)], f.name));
      return d;
    },
    files.map((f) => ({ name: f.split('/').pop()!, bytes: [...readFileSync(f)] })),
  );
  await page.getByTestId('charges-drop').dispatchEvent('drop', { dataTransfer: dt });
  await page.getByRole('button', { name: '照らし合わせる' }).click();
  await chargesShown(page);
}

export async function chargesShown(page: Page) {
  const table = page.getByTestId('charges-table');
  await expect(table).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(1);
  await expect(table.locator('tr[data-category="unexplained"]').first()).toBeVisible();
  await expect(page.getByTestId('charge-chart').locator('canvas')).toBeVisible();
  await page.getByRole('button', { name: /をわたしのケースに入れる/ }).click();
  await expect(page.getByText(/件をケースに入れました/)).toBeVisible();
}

export async function planAndCase(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: '何をすればいい？' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '何をすればいい？' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '今夜・今日のうちに' })).toBeVisible();
  await expect(page.locator('.scripts')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'わたしのケース' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /わたしのケース/ })).toBeVisible();
  await expect(page.locator('table.receipts').getByRole('cell', { name: 'R-12345' })).toBeVisible();
  await expect(page.locator('.report-text')).toContainText('申告');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '期限をカレンダーに（.ics）' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.ics$/);
}

export async function prevention(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: '予防チェック' }).click();
  await expect(page.getByText('本当のパスワードは入力しないでください')).toBeVisible();
  await page.getByLabel('試しのパスワード').fill('taro1985');
  await expect(page.locator('.meter-out')).toContainText('パスワードの強さ');
}

export async function english(page: Page) {
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.goto(page.url().replace(/#.*$/, '') + '#/');
  await expect(page.getByRole('heading', { level: 1, name: 'What is happening right now?' })).toBeVisible();
  await page.getByRole('button', { name: '日本語' }).click();
}

export const ledger = (name: string) => readFileSync(name);

/** An mbox with one phishing mail (the SMS text above as a mail from a look-alike sender), written for the test. */
export function phishingMbox(): string {
  return [
    'From phish@amazon-co-jp.account-verify-security.com Tue Dec  1 02:10:00 2026',
    'From: "Amazon.co.jp" <security@amazon-co-jp.account-verify-security.com>',
    'To: you@example.com',
    'Subject: =?UTF-8?B?' +
      Buffer.from('【Amazon】お客様のアカウントは一時停止されました').toString('base64') +
      '?=',
    'Date: Tue, 1 Dec 2026 02:10:00 +0900',
    'Message-ID: <e2e-phish-1@account-verify-security.com>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(phishingText).toString('base64'),
    '',
    '',
  ].join('\n');
}
