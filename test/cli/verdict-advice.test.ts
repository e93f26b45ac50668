import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';
import { orderHistoryFrom } from '#core/check/orders.ts';
import { renderCheck } from '#interfaces/cli/render-check.ts';
import { translator } from '#interfaces/i18n.ts';
import { mamori } from '../helpers/cli.ts';

const knowledge = loadKnowledge();
const mail = (f: string) => `test/fixtures/mail/${f}`;
const json = (args: string[]) =>
  mamori(['check', ...args, '--json'], { env: { MAMORI_HOME: mkdtempSync(join(tmpdir(), 'mamori-')) } })
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CheckResult & { source: string });

async function check(file: string, orders?: string[]): Promise<CheckResult> {
  const out = await checkMessage(readFileSync(mail(file)), knowledge, {
    orders: orders ? orderHistoryFrom(orders, { from: '2026-10-03', to: '2026-11-06' }) : null,
  });
  if (!out.ok) throw new Error(out.problem.code);
  return out.result;
}

describe('verdicts a person can act on', () => {
  it('a genuine security notice stays legitimate, says which notice, and names the plan if it was not you', () => {
    const [jp, us, otp, order] = json([
      mail('genuine/jp-signin-alert.eml'),
      mail('genuine/us-signin-alert.eml'),
      mail('genuine/us-otp.eml'),
      mail('genuine/jp-order-confirmation.eml'),
    ]);
    for (const [r, kind] of [
      [jp, 'sign-in'],
      [us, 'sign-in'],
      [otp, 'code'],
    ] as const) {
      expect(r).toMatchObject({
        verdict: 'legitimate',
        notice: 'security',
        noticeKind: kind,
        headline: { id: 'security-notice', params: { notice: kind } },
        suggestedSituations: ['entered-password'],
      });
    }
    expect(order).toMatchObject({
      verdict: 'legitimate',
      notice: null,
      noticeKind: null,
      headline: { id: 'legitimate' },
      suggestedSituations: [],
    });
  });

  it('a phishing mail that imitates a notice is still phishing, with the phishing headline', () => {
    const [r] = json([mail('phish/jp-no-sender-address.eml')]);
    expect(r).toMatchObject({
      verdict: 'phishing',
      noticeKind: 'sign-in',
      headline: { id: 'phishing' },
      suggestedSituations: ['suspicious-mail'],
    });
  });

  it('genuine mail, unknown order: the headline states both facts with the date of the data', async () => {
    const r = await check('genuine/jp-order-confirmation.eml', ['249-0000000-0000001']);
    expect(r.verdict).toBe('suspicious');
    expect(r.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['auth.aligned-pass', 'order.not-in-history']),
    );
    expect(r.headline).toEqual({
      id: 'genuine-unknown-order',
      params: { orderId: '249-1234567-7654321', latestOrder: '2026-11-06', from: '2026-10-03' },
    });
    expect(r.suggestedSituations).toEqual(['unknown-order']);
    // Through the real binary with an Amazon export: the latest order date of that export.
    const [cli] = json([
      mail('genuine/jp-order-confirmation.eml'),
      '--orders',
      'test/fixtures/ledger/scenarios/household/amazon-export.zip',
    ]);
    expect(cli!.headline).toMatchObject({
      id: 'genuine-unknown-order',
      params: { latestOrder: '2026-11-06' },
    });
  });

  it('an unknown order in a mail nobody authenticated is still phishing', async () => {
    const r = await check('phish/jp-order-cancel-unknown-order.eml', ['249-0000000-0000001']);
    expect(r).toMatchObject({ verdict: 'phishing', headline: { id: 'phishing' } });
  });

  const t = translator(knowledge, 'ja');
  const todo = (r: CheckResult, region?: 'jp' | 'us') => {
    // The advice: the actions first and where to report after the evidence (the evidence never quotes them).
    return renderCheck('x', r, t, knowledge, region);
  };

  it('suspicious advises looking in the app first, not "report and delete"', async () => {
    const r = await check('genuine/jp-order-confirmation.eml');
    const suspicious: CheckResult = {
      ...r,
      verdict: 'suspicious',
      headline: { id: 'suspicious', params: {} },
    };
    const advice = todo(suspicious);
    expect(advice).toContain(t.t('todo.check-app-first'));
    expect(advice).not.toContain(t.t('todo.delete'));
    expect(advice).not.toContain(t.t('todo.report-amazon'));
  });

  it("the person's region decides the reporting routes, not the mail's brand", async () => {
    const r = await check('phish/en-spoofed-spf-fail.eml');
    expect(r).toMatchObject({ verdict: 'phishing', brand: 'amazon-us' });
    expect(todo(r)).toContain(t.t('todo.report-council'));
    expect(todo(r)).not.toContain(t.t('todo.report-us'));
    expect(todo(r, 'us')).toContain(t.t('todo.report-us'));
    expect(todo(r, 'us')).not.toContain(t.t('todo.report-council'));
    // And through the binary: --region is an option, a bad value is a usage error.
    expect(mamori(['check', mail('phish/en-spoofed-spf-fail.eml'), '--region', 'us']).status).toBe(0);
    expect(mamori(['check', mail('phish/en-spoofed-spf-fail.eml'), '--region', 'de']).status).toBe(2);
  });

  it('the security notice names its plan in the advice', async () => {
    const r = await check('genuine/jp-signin-alert.eml');
    expect(todo(r)).toContain(t.t('todo.notice.not-you', { plan: 'entered-password' }));
  });
});

describe('check --orders with a CSV of order numbers', () => {
  it('gives the unknown-order headline the export date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-'));
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, '注文番号,注文日\n249-0000000-0000001,2026/11/19\n');
    const [r] = json([mail('genuine/jp-order-confirmation.eml'), '--orders', orders]);
    expect(r!.headline.id).toBe('genuine-unknown-order');
    expect(r!.suggestedSituations).toEqual(['unknown-order']);
  });
});
