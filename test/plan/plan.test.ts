import { describe, expect, it } from 'vitest';
import { situations, type Situation } from '#core/knowledge/schema.ts';
import { buildPlan, phoneScript } from '#core/plan/plan.ts';
import { knowledge } from '../helpers/ledger.ts';

const plan = (
  s: Situation[],
  extra: Partial<Parameters<typeof buildPlan>[0]> = {},
  lang: 'ja' | 'en' = 'ja',
) => buildPlan({ situations: s, region: 'jp', noticed: '2026-11-20', ...extra }, knowledge, lang);
const ids = (s: Situation[], extra = {}) => plan(s, extra).steps.map((x) => x.id);

describe('plans', () => {
  for (const region of ['jp', 'us'] as const) {
    for (const s of situations) {
      it(`${region} ${s}: steps with who, how, what to bring and by when, from sources`, () => {
        const p = plan([s], { region });
        expect(p.steps.length).toBeGreaterThan(0);
        for (const step of p.steps) {
          expect(step.title && step.why && step.how && step.source).toBeTruthy();
          expect(['now', 'today', 'soon']).toContain(step.urgency);
          expect(Array.isArray(step.prepare)).toBe(true);
        }
      });
    }
  }

  it('a card typed into a phishing page: the card company first, with a dated compensation deadline', () => {
    const p = plan(['entered-card', 'unknown-charge']);
    expect(p.steps[0]).toMatchObject({ id: 'card-stop', who: 'card-issuer', deadline: '2027-01-19' });
    expect(p.steps.map((s) => s.who)).toEqual(
      expect.arrayContaining(['amazon', 'antiphishing-council', 'police', 'consumer-hotline']),
    );
  });

  it('the deadline counts from the oldest disputed charge when the case knows it', () => {
    const p = plan(['unknown-charge'], {
      facts: { charges: [{ date: '2026-10-01', description: 'AMAZON', amount: 1000, currency: 'JPY' }] },
    });
    expect(p.steps.find((s) => s.id === 'card-stop')).toMatchObject({
      deadline: '2026-11-30',
      deadlineBase: 'charge',
    });
  });

  it('a password typed in: change it, sign out everywhere, 2SV — before contacting anyone', () => {
    const order = ids(['entered-password']);
    expect(order.slice(0, 3)).toEqual(['password-change', 'sign-out-all', 'enable-2sv']);
    expect(order).not.toContain('card-stop');
  });

  it('a suspicious mail with nothing done: check in the app, then report; no card or police step', () => {
    const order = ids(['suspicious-mail']);
    expect(order[0]).toBe('check-genuine');
    expect(order).toEqual(expect.arrayContaining(['report-amazon', 'report-antiphishing']));
    expect(order).not.toContain('card-stop');
    expect(order).not.toContain('police');
  });

  it('an accidental purchase is not treated as fraud', () => {
    const order = ids(['accidental-purchase']);
    expect(order).toContain('accidental-return');
    expect(order).not.toContain('card-stop');
    expect(order).not.toContain('police');
  });

  it('US: credit cards get the FCBA written dispute; debit cards the Regulation E 2-business-day deadline', () => {
    const credit = plan(['unknown-charge'], { region: 'us', card: 'credit' });
    expect(credit.steps[0]).toMatchObject({
      id: 'card-dispute-credit',
      who: 'card-issuer',
      deadline: '2027-01-19',
    });
    const debit = plan(['unknown-charge'], { region: 'us', card: 'debit', noticed: '2026-11-20' });
    // 2026-11-20 is a Friday: two business days later is Tuesday 2026-11-24.
    expect(debit.steps[0]).toMatchObject({ id: 'card-debit', who: 'bank', deadline: '2026-11-24' });
    expect(debit.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['report-ftc', 'report-ic3']));
  });

  it('steps marked uncertain in the reference are marked for the user', () => {
    expect(plan(['entered-password']).steps.find((s) => s.id === 'sign-out-all')?.uncertain).toBe(true);
  });

  it('English is complete', () => {
    const p = plan(['entered-card'], {}, 'en');
    expect(p.steps[0]!.title).toMatch(/card company/i);
    expect(p.steps[0]!.deadlineRule).toMatch(/60 days/);
  });

  it('the phone script reads out the facts, leaving blanks for what is unknown', () => {
    const lines = phoneScript(
      'card-issuer',
      {
        name: '山田 太郎',
        orderIds: ['D01-2222222-0000005'],
        charges: [{ date: '2026-11-19', description: 'AMAZON DOWNLOADS', amount: 10000, currency: 'JPY' }],
      },
      '2026-11-20',
    );
    expect(lines.map((l) => l.key)).toEqual([
      'script.card-issuer.opening',
      'script.identity',
      'script.orders',
      'script.charges',
      'script.card-issuer.ask',
      'script.record',
    ]);
    expect(lines[1]!.params).toMatchObject({ name: '山田 太郎', phone: '' });
  });
});
