/**
 * The paste flow of 身に覚えのない請求, the same in static and served mode: what Amazon shows on screen, pasted, read
 * and shown before anything is stored; stored on the confirm; then the card statement matched against it. The
 * pages pasted are written for mamori (samples/ledger/pasted-transactions.txt, test/fixtures/pasted/), never a
 * copy of a real one.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const pastedPage = readFileSync('samples/ledger/pasted-transactions.txt', 'utf8');
export const unrelatedPage = readFileSync('test/fixtures/pasted/unrelated-page.txt', 'utf8');
export const statementText = readFileSync('test/fixtures/pasted/card-statement.txt', 'utf8');

export async function openCharges(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: '身に覚えのない請求' }).click();
  const box = page.getByTestId('paste-box');
  await expect(
    box.getByRole('heading', { name: 'Amazonの画面から貼り付け（今夜すぐできます）' }),
  ).toBeVisible();
  // The paste box comes first, above the file pickers, and says where the paste goes.
  const boxTop = (await box.boundingBox())!.y;
  const fileTop = (await page.getByLabel('カードの利用明細（CSV）').boundingBox())!.y;
  expect(boxTop).toBeLessThan(fileTop);
  await expect(box.getByTestId('paste-private')).toContainText('どこにも送らず');
  return box;
}

/** Paste → what was read → confirm → the sample statement → a charge matched by the pasted page. */
export async function pasteThenMatch(page: Page, shot?: (name: string) => Promise<void>) {
  const box = await openCharges(page);
  await box.getByLabel('Amazonの画面からコピーした文字').fill(pastedPage);
  await box.getByRole('button', { name: '読み取る' }).click();
  const preview = box.getByTestId('paste-preview');
  await expect(preview).toHaveAttribute('data-page', 'transactions');
  await expect(preview.getByRole('heading', { name: /まだ保存していません/ })).toBeVisible();
  const charges = preview.getByTestId('paste-charges');
  await expect(charges.locator('tbody tr')).toHaveCount(4);
  const row = charges.locator('tr[data-order="503-0000004-0000004"]');
  await expect(row).toContainText('2026-10-20');
  await expect(row).toContainText('Visa ****1234');
  await expect(row.locator('.conf-high')).toHaveText('高');
  await expect(row).toContainText('行目');
  await shot?.('paste-preview');
  await preview.getByRole('button', { name: 'この内容で保存して照合' }).click();
  await expect(box.locator('[data-note="web.paste.stored"]')).toContainText('保存しました');
  await expect(box.locator('[data-note="web.paste.next-statement"]')).toBeVisible();
  await expect(box.getByTestId('paste-preview')).toHaveCount(0);
  // Stored: the statement now finds its orders in the pasted page.
  await page.getByLabel('カードの利用明細（CSV）').setInputFiles('samples/ledger/vpass.csv');
  await page.getByRole('button', { name: '照らし合わせる' }).click();
  const table = page.getByTestId('charges-table');
  const matched = table.locator('tr', { hasText: '503-0000004-0000004' });
  await expect(matched).toHaveAttribute('data-category', 'order');
  await expect(matched).toContainText('貼り付けた取引一覧');
  await expect(table.locator('tr[data-category="unexplained"]').first()).toBeVisible();
  await expect(box.locator('[data-note="web.paste.next-statement"]')).toHaveCount(0);
  await expect(box.locator('[data-note="web.paste.matched-below"]')).toBeVisible();
  await shot?.('paste-matched');
}

/** A paste without order data says what was expected and shows how to copy, with its pictures. */
export async function pasteNothing(page: Page, shot?: (name: string) => Promise<void>) {
  const box = await openCharges(page);
  await box.getByRole('button', { name: '読み取る' }).click();
  await expect(box.locator('[data-paste="empty"]')).toContainText('まだ何も貼り付けられていません');
  await box.getByLabel('Amazonの画面からコピーした文字').fill(unrelatedPage);
  await box.getByRole('button', { name: '読み取る' }).click();
  const failed = box.locator('[data-paste="nothing"]');
  await expect(failed).toContainText('注文番号の入ったAmazonの画面が見つかりませんでした');
  await expect(failed).toContainText('123-1234567-1234567');
  const guide = failed.getByTestId('paste-guide');
  await expect(guide.locator('[data-picture="phone-copy"] svg[role="img"]')).toBeVisible();
  await expect(guide.locator('[data-picture="desktop-copy"] svg[role="img"]')).toBeVisible();
  await expect(guide.getByRole('img', { name: /長押し/ })).toBeVisible();
  await expect(guide.locator('[data-page]')).toHaveCount(4);
  await expect(guide.locator('[data-page] svg[role="img"]')).toHaveCount(4);
  await expect(guide.locator('[data-page="transactions"]')).toContainText('cpe/yourpayments/transactions');
  // Where the reference does not confirm a menu or a name, the page says so.
  await expect(guide.locator('[data-uncertain]')).toHaveCount(3);
  await expect(guide.locator('[data-page="orders"] [data-uncertain]')).toHaveCount(0);
  await expect(guide.getByText('一部は確認できていません')).toBeVisible();
  await shot?.('paste-nothing');
  // Nothing was kept to confirm.
  await expect(box.getByRole('button', { name: 'この内容で保存して照合' })).toHaveCount(0);
}

/** A card statement pasted here by mistake is said to be one and imported as a statement. */
export async function pasteStatement(page: Page) {
  const box = await openCharges(page);
  await box.getByLabel('Amazonの画面からコピーした文字').fill(statementText);
  await box.getByRole('button', { name: '読み取る' }).click();
  await expect(box.locator('[data-note="paste.is-statement"]')).toContainText('カード明細のようです');
  await expect(page.getByTestId('charges-table').locator('tbody tr').first()).toBeVisible();
}

/** 「保存しない」 stores nothing: matching the statement afterwards finds no order in a paste. */
export async function pasteDiscard(page: Page) {
  const box = await openCharges(page);
  await box.getByLabel('Amazonの画面からコピーした文字').fill(pastedPage);
  await box.getByRole('button', { name: '読み取る' }).click();
  await expect(box.getByTestId('paste-charges')).toBeVisible();
  await box.getByRole('button', { name: '保存しない' }).click();
  await expect(box.locator('[data-note="web.paste.discarded"]')).toBeVisible();
  await expect(box.getByLabel('Amazonの画面からコピーした文字')).toHaveValue('');
  await page.getByLabel('カードの利用明細（CSV）').setInputFiles('samples/ledger/vpass.csv');
  await page.getByRole('button', { name: '照らし合わせる' }).click();
  const table = page.getByTestId('charges-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table).not.toContainText('503-0000004-0000004');
}

/** 「貼り付け」 reads the clipboard where the browser allows it, and says how to paste by hand where it does not. */
export async function pasteButton(page: Page, allowed: boolean) {
  const box = await openCharges(page);
  if (allowed) {
    await page.evaluate((text) => navigator.clipboard.writeText(text), pastedPage);
    await box.getByRole('button', { name: '貼り付け', exact: true }).click();
    await expect(box.getByTestId('paste-charges').locator('tbody tr')).toHaveCount(4);
    await expect(box.getByLabel('Amazonの画面からコピーした文字')).toHaveValue(pastedPage);
  } else {
    await box.getByRole('button', { name: '貼り付け', exact: true }).click();
    await expect(box.locator('[data-note="web.paste.clipboard-denied"]')).toContainText('Ctrl+V');
    await expect(box.getByLabel('Amazonの画面からコピーした文字')).toBeFocused();
  }
}

/** The statement picked first, then the page pasted: the confirm alone shows the charges matched. */
export async function statementThenPaste(page: Page) {
  const box = await openCharges(page);
  await page.getByLabel('カードの利用明細（CSV）').setInputFiles('samples/ledger/vpass.csv');
  await box.getByLabel('Amazonの画面からコピーした文字').fill(pastedPage);
  await box.getByRole('button', { name: '読み取る' }).click();
  await box.getByRole('button', { name: 'この内容で保存して照合' }).click();
  const matched = page.getByTestId('charges-table').locator('tr', { hasText: '503-0000001-0000001' });
  await expect(matched).toContainText('貼り付けた取引一覧');
  await expect(box.locator('[data-note="web.paste.matched-below"]')).toBeFocused();
}

/** A saved page is read as soon as it is chosen; a Your Orders page gives the orders table with each status. */
export async function pasteFiles(page: Page) {
  const box = await openCharges(page);
  const file = box.getByLabel('保存したページ（.html・.mhtml）か文字のファイル（.txt）を選ぶ');
  await file.setInputFiles('test/fixtures/pasted/transactions-ja-saved.mhtml');
  await expect(box.getByTestId('paste-preview')).toHaveAttribute('data-page', 'transactions');
  await expect(box.getByTestId('paste-charges').locator('tbody tr').first()).toBeVisible();
  await file.setInputFiles('test/fixtures/pasted/orders-ja-phone.txt');
  await expect(box.getByTestId('paste-preview')).toHaveAttribute('data-page', 'orders');
  const orders = box.getByTestId('paste-orders');
  await expect(orders.locator('tbody tr')).toHaveCount(3);
  await expect(orders.locator('tr[data-order="503-2223334-4445556"]')).toContainText('キャンセル');
  await expect(box.getByTestId('paste-charges')).toHaveCount(0);
}
