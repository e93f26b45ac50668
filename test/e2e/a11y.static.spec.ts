/**
 * Accessibility: axe-core (the engine browsers' own audits use) scans each screen of the page as a person reaches
 * it — the first screen, a mail's verdict with its evidence open, the charges with a statement read, the plan, the
 * case, prevention, the watcher's pages — in Japanese at a phone size and in English at a desktop size. Any
 * violation of WCAG 2.1 A/AA that axe rates serious or critical fails the test, with the rule, the elements and
 * axe's help text in the message.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { phishingText, sizes } from './flows.ts';
import { startStatic } from './static-server.ts';

let server: Awaited<ReturnType<typeof startStatic>>;
test.beforeAll(async () => {
  server = await startStatic();
});
test.afterAll(async () => {
  await server.stop();
});

async function scan(page: Page, screen: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

async function screens(page: Page, lang: 'ja' | 'en'): Promise<string[]> {
  const found: string[] = [];
  await page.goto(server.origin + '/');
  if (lang === 'en') {
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  }
  await expect(page.locator('h1')).toBeVisible();
  found.push(...(await scan(page, 'home')));

  await page.goto(server.origin + '/#/check');
  await page.locator('textarea').first().fill(phishingText);
  await page.getByRole('button', { name: lang === 'ja' ? '調べる' : 'Check', exact: true }).click();
  const verdict = page.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'phishing');
  await verdict.locator('details.evidence > summary').first().click();
  await expect(verdict.locator('[data-finding]').first()).toBeVisible();
  found.push(...(await scan(page, 'check (verdict, evidence open)')));

  await page.goto(server.origin + '/#/charges');
  await page
    .getByLabel(lang === 'ja' ? 'カードの利用明細（CSV）' : 'Card statement (CSV)')
    .setInputFiles('samples/ledger/vpass.csv');
  await page
    .getByLabel(lang === 'ja' ? /Amazonの注文データ/ : /Amazon order data/)
    .setInputFiles('samples/ledger/amazon-export.zip');
  await page.getByRole('button', { name: lang === 'ja' ? '照らし合わせる' : 'Match them' }).click();
  await expect(page.getByTestId('charges-table')).toBeVisible();
  found.push(...(await scan(page, 'charges (statement read)')));

  for (const route of ['plan', 'case', 'prevent', 'alerts', 'watch']) {
    await page.goto(server.origin + `/#/${route}`);
    await expect(page.locator('h1')).toBeVisible();
    found.push(...(await scan(page, route)));
  }
  return found;
}

test.describe('accessibility', () => {
  test.describe('phone, Japanese', () => {
    test.use({ viewport: sizes[0]!.viewport });
    test('no serious or critical WCAG 2.1 AA violation on any screen', async ({ page }) => {
      expect(await screens(page, 'ja')).toEqual([]);
    });
  });
  test.describe('desktop, English', () => {
    test.use({ viewport: sizes[sizes.length - 1]!.viewport });
    test('no serious or critical WCAG 2.1 AA violation on any screen', async ({ page }) => {
      expect(await screens(page, 'en')).toEqual([]);
    });
  });
});
