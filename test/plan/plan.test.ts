import { describe, expect, it } from 'vitest';
import { situations, stepWhens, type Situation } from '#core/knowledge/schema.ts';
import { parsePersonDate } from '#core/plan/dates.ts';
import { buildPlan, phoneScript, planBrand, resolveStep, type PlanInput } from '#core/plan/plan.ts';
import { knowledge } from '../helpers/ledger.ts';

const plan = (s: Situation[], extra: Partial<PlanInput> = {}, lang: 'ja' | 'en' = 'ja') =>
  buildPlan({ situations: s, region: 'jp', noticed: '2026-11-20', ...extra }, knowledge, lang);
const ids = (s: Situation[], extra: Partial<PlanInput> = {}) => plan(s, extra).steps.map((x) => x.id);
const step = (s: Situation[], id: string, extra: Partial<PlanInput> = {}) =>
  plan(s, extra).steps.find((x) => x.id === id);

/** Situations implying someone is or was inside the account. */
const INSIDE: Situation[] = [
  'unknown-order',
  'account-changed',
  'gift-card-drained',
  'digital-purchase',
  'item-shipped',
  'item-arrived',
];
/** Locking them out, in harm order. */
const SECURING = [
  'password-change',
  'sign-out-all',
  'enable-2sv',
  'check-account-details',
  'check-seller-account',
  'card-pending',
];
const CARD_STOPS = ['card-stop', 'card-dispute-credit', 'card-debit'];

describe('plans', () => {
  for (const region of ['jp', 'us'] as const) {
    for (const s of situations) {
      it(`${region} ${s}: steps with who, how, what to bring and how urgent; now first; what happens next`, () => {
        const p = plan([s], { region });
        expect(p.steps.length).toBeGreaterThan(0);
        expect(p.steps.map((x) => x.n)).toEqual(p.steps.map((_, i) => i + 1));
        for (const st of p.steps) {
          expect(st.title && st.why && st.how && st.source).toBeTruthy();
          expect(stepWhens).toContain(st.when);
          expect(Array.isArray(st.prepare)).toBe(true);
          if (CARD_STOPS.includes(st.id)) expect(st.when).toBe('now');
        }
        const whens = p.steps.map((x) => x.when);
        expect(whens.slice(0, whens.filter((w) => w === 'now').length).every((w) => w === 'now')).toBe(true);
        if (s !== 'accidental-purchase' && s !== 'entered-password' && s !== 'entered-personal-info')
          expect(p.expect.length).toBeGreaterThan(0);
      });
    }
  }

  it('locked out: forgot-password once, every card company, Amazon without signing in; securing only after access; then e-mail, police and 188', () => {
    const p = plan(['locked-out']);
    expect(p.steps.map((s) => s.id)).toEqual([
      'forgot-password-once',
      'card-stop',
      'amazon-locked-out',
      'password-change',
      'sign-out-all',
      'enable-2sv',
      'check-account-details',
      'check-seller-account',
      'secure-email',
      'watch-statements',
      'police',
      'consumer-hotline',
    ]);
    expect(p.steps.slice(0, 3).map((s) => s.when)).toEqual(['now', 'now', 'now']);
    expect(p.steps.slice(3, 8).every((s) => s.when === 'after-access')).toBe(true);
    expect(p.expect.map((e) => e.id)).toEqual(
      expect.arrayContaining(['new-card', 'card-investigation', 'amazon-investigation', 'amazon-lock']),
    );
    // The logged-in routes are no use when locked out, whatever else happened.
    const both = ids(['locked-out', 'unknown-order', 'item-shipped']);
    expect(both).not.toContain('amazon-contact');
    expect(both).not.toContain('cancel-order');
    expect(both).not.toContain('stop-shipment');
    expect(step(['locked-out', 'entered-password'], 'password-change')?.when).toBe('after-access');
    expect(ids(['locked-out'], { region: 'us' }).slice(0, 3)).toEqual([
      'forgot-password-once',
      'card-dispute-credit',
      'amazon-locked-out-us',
    ]);
  });

  for (const region of ['jp', 'us'] as const)
    for (const s of INSIDE)
      it(`${region} ${s}: someone was inside — the securing steps, in harm order`, () => {
        const order = ids([s], { region });
        const at = SECURING.map((id) => order.indexOf(id));
        expect(
          at.every((i) => i >= 0),
          `${SECURING.filter((_, k) => at[k]! < 0)} missing`,
        ).toBe(true);
        expect([...at].sort((a, b) => a - b)).toEqual(at);
      });

  it('item shipped: ask Amazon to stop it, refuse delivery — not "cancel unshipped orders"', () => {
    const order = ids(['item-shipped']);
    expect(order).toEqual(expect.arrayContaining(['stop-shipment', 'refuse-delivery']));
    expect(order).not.toContain('cancel-order');
    expect(step(['item-shipped'], 'stop-shipment')?.when).toBe('now');
    expect(step(['item-shipped'], 'refuse-delivery')?.when).toBe('if-needed');
  });

  it('digital purchase: the Kindle order may be missing from the contact picker (start from another order)', () => {
    const p = plan(['digital-purchase']);
    expect(p.steps.find((s) => s.id === 'amazon-contact')?.how).toContain('別の（以前の）注文');
    expect(plan(['unknown-order']).steps.find((s) => s.id === 'amazon-contact')?.how).not.toContain(
      '別の（以前の）注文',
    );
  });

  it('unknown charge: a five-minute check for innocent causes first, then the card company now', () => {
    const order = ids(['unknown-charge']);
    expect(order.slice(0, 2)).toEqual(['innocent-check', 'card-stop']);
    expect(step(['unknown-charge'], 'innocent-check')?.how).toMatch(
      /Kindle Unlimited.*家族.*別のカード.*Amazon Pay.*分かれて.*予約注文/s,
    );
    expect(order).toEqual(expect.arrayContaining(['amazon-pay', 'watch-statements', 'dispute-route']));
    // A card typed into a fake page is not a case for looking for innocent causes.
    expect(ids(['entered-card', 'unknown-charge'])[0]).toBe('card-stop');
    expect(ids(['unknown-charge'], { region: 'us' }).slice(0, 2)).toEqual([
      'innocent-check-us',
      'card-dispute-credit',
    ]);
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

  it('steps marked uncertain in the reference are marked for the user', () => {
    expect(step(['entered-password'], 'sign-out-all')?.uncertain).toBe(true);
    expect(step(['locked-out'], 'amazon-locked-out')?.uncertain).toBe(true);
  });

  it('English is complete', () => {
    const p = plan(['entered-card'], { facts: { firstCharge: '2026-11-19' } }, 'en');
    expect(p.steps[0]!.title).toMatch(/card company/i);
    expect(p.steps[0]!.deadlineRule).toMatch(/60 days/);
    expect(p.expect[0]!.text).toMatch(/new card/i);
  });
});

describe('cut-offs count from the right date, and none is invented', () => {
  it('JP: 60 days from --first-charge', () => {
    expect(step(['entered-card'], 'card-stop', { facts: { firstCharge: '2026-10-01' } })).toMatchObject({
      when: 'now',
      deadline: '2026-11-30',
      deadlineBasis: { from: 'first-charge', date: '2026-10-01', days: 60, business: false },
    });
  });

  it("JP: from the oldest of a case's disputed charges (and --first-charge if older)", () => {
    const charges = [
      { date: '2026-11-02', description: 'AMAZON', amount: 500, currency: 'JPY' },
      { date: '2026-10-15', description: 'AMAZON', amount: 9, currency: 'JPY' },
    ];
    expect(step(['unknown-charge'], 'card-stop', { facts: { charges } })).toMatchObject({
      deadline: '2026-12-14',
      deadlineBasis: { from: 'first-charge', date: '2026-10-15' },
    });
    expect(
      step(['unknown-charge'], 'card-stop', { facts: { charges, firstCharge: '2026-10-01' } })?.deadline,
    ).toBe('2026-11-30');
  });

  it('JP: without a charge date, no date — the step says what the cut-off depends on', () => {
    const s = step(['entered-card'], 'card-stop')!;
    expect(s.deadline).toBeUndefined();
    expect(s.deadlineBasis).toBeUndefined();
    expect(s.deadlineNeeds).toBe('first-charge');
    expect(s.deadlineRule).toMatch(/60日/);
  });

  it('a cut-off already passed is shown as passed, with what can still be done', () => {
    const s = step(['unknown-charge'], 'card-stop', {
      facts: { firstCharge: '2026-08-01' },
      today: '2026-11-20',
    })!;
    expect(s).toMatchObject({ deadline: '2026-09-30', deadlinePassed: true });
    expect(s.afterDeadline).toMatch(/今すぐ/);
    expect(
      step(['unknown-charge'], 'card-stop', { facts: { firstCharge: '2026-11-01' }, today: '2026-11-20' })
        ?.deadlinePassed,
    ).toBeUndefined();
  });

  it('US credit (FCBA): 60 days from the statement date; unknown without it', () => {
    const us = (facts = {}) =>
      step(['unknown-charge'], 'card-dispute-credit', { region: 'us', card: 'credit', facts });
    expect(us({ statementDate: '2026-11-05' })).toMatchObject({
      deadline: '2027-01-04',
      deadlineBasis: { from: 'statement-date', date: '2026-11-05' },
    });
    // A charge date is not a statement date.
    const unknown = us({ firstCharge: '2026-10-01' })!;
    expect(unknown.deadline).toBeUndefined();
    expect(unknown.deadlineNeeds).toBe('statement-date');
  });

  it('US debit (Regulation E): 2 business days from when you learned of it', () => {
    // 2026-11-20 is a Friday: two business days later is Tuesday 2026-11-24.
    expect(step(['unknown-charge'], 'card-debit', { region: 'us', card: 'debit' })).toMatchObject({
      who: 'bank',
      deadline: '2026-11-24',
      deadlineBasis: { from: 'noticed', date: '2026-11-20', days: 2, business: true },
    });
  });
});

describe('tonight and tomorrow (JST, from an injected clock)', () => {
  const at = (now: string) => {
    const p = plan(['unknown-charge', 'account-changed'], { now });
    const r = (id: string) => p.steps.find((s) => s.id === id)?.route;
    return { p, r };
  };
  const WED = '2026-11-18';
  const SUN = '2026-11-22';

  it('24-hour routes stay tonight: the card line and Amazon chat/callback', () => {
    for (const now of [`${WED}T02:00+09:00`, `${SUN}T02:00+09:00`, `${WED}T10:00+09:00`]) {
      const { r } = at(now);
      expect(r('card-stop')).toEqual({ open: true, always: true });
      expect(r('amazon-contact')).toEqual({ open: true, always: true });
    }
  });

  it('02:00 on a weekday: #9110, 188 and Houterasu move to tomorrow morning', () => {
    const { p, r } = at(`${WED}T02:00+09:00`);
    expect(p.at).toEqual({ date: WED, time: '02:00', weekday: 'wed', utcOffset: '+09:00' });
    expect(r('police')).toEqual({
      open: false,
      opens: `${WED}T08:30`,
      day: 'tomorrow',
      weekday: 'wed',
      uncertain: true,
    });
    expect(r('consumer-hotline')).toMatchObject({ open: false, opens: `${WED}T10:00`, day: 'tomorrow' });
    expect(r('legal-aid')).toEqual({ open: false, opens: `${WED}T09:00`, day: 'tomorrow', weekday: 'wed' });
  });

  it('10:00 on a weekday: all open', () => {
    const { r } = at(`${WED}T10:00+09:00`);
    expect(r('police')).toMatchObject({ open: true });
    expect(r('consumer-hotline')).toMatchObject({ open: true });
    expect(r('legal-aid')).toEqual({ open: true });
  });

  it('02:00 on a Sunday: 188 opens this morning at 10:00 (the weekend line); #9110 and Houterasu on Monday', () => {
    const { r } = at(`${SUN}T02:00+09:00`);
    expect(r('consumer-hotline')).toEqual({
      open: false,
      opens: `${SUN}T10:00`,
      day: 'tomorrow',
      weekday: 'sun',
    });
    expect(r('police')).toMatchObject({
      open: false,
      opens: '2026-11-23T08:30',
      day: 'later',
      weekday: 'mon',
    });
    expect(r('legal-aid')).toMatchObject({ open: false, opens: '2026-11-23T09:00', day: 'later' });
  });

  it('10:00 on a Sunday: 188 is open (National Consumer Affairs Center); #9110 and Houterasu tomorrow', () => {
    const { r } = at(`${SUN}T10:00+09:00`);
    expect(r('consumer-hotline')).toEqual({ open: true });
    expect(r('police')).toMatchObject({ open: false, opens: '2026-11-23T08:30', day: 'tomorrow' });
    expect(r('legal-aid')).toMatchObject({ open: false, opens: '2026-11-23T09:00', day: 'tomorrow' });
  });

  it('a UTC clock is read as JST; the New Year break moves 188 to January 4', () => {
    expect(at(`${WED}T01:00:00.000Z`).r('police')).toMatchObject({ open: true }); // 10:00 JST
    expect(at('2026-12-31T10:00+09:00').r('consumer-hotline')).toMatchObject({
      open: false,
      opens: '2027-01-04T10:00',
      day: 'later',
    });
  });

  it('the time changes what is open, never the order', () => {
    const order = (now: string) => at(now).p.steps.map((s) => s.id);
    expect(order(`${WED}T02:00+09:00`)).toEqual(order(`${SUN}T10:00+09:00`));
    expect(plan(['unknown-charge']).steps.every((s) => s.route === undefined)).toBe(true);
  });
});

describe('dates as people write them', () => {
  const today = '2026-11-21';
  it.each([
    ['2026-11-20', '2026-11-20'],
    ['2026/11/20', '2026/11/20'.replace(/\//g, '-')],
    ['２０２６／１１／２０', '2026-11-20'],
    ['2026年11月20日', '2026-11-20'],
    ['2026-1-5', '2026-01-05'],
    ['11/20', '2026-11-20'],
    ['１１/２０', '2026-11-20'],
    ['11月20日', '2026-11-20'],
    ['12/25', '2025-12-25'], // the year inferred, never in the future
    [' 2026/11/21 ', '2026-11-21'],
  ])('%s → %s', (raw, date) => {
    expect(parsePersonDate(raw, today)).toEqual({ ok: true, date });
  });
  it.each([
    ['2026-02-30', 'impossible'],
    ['2026-13-01', 'impossible'],
    ['2/29', 'impossible'],
    ['2026-11-22', 'future'],
    ['2027/01/01', 'future'],
    ['20/11/2026', 'format'],
    ['yesterday', 'format'],
    ['', 'format'],
  ])('%s is refused (%s)', (raw, problem) => {
    expect(parsePersonDate(raw, today)).toEqual({ ok: false, problem });
  });
});

describe('steps by number', () => {
  it('a step number names the same step as its id', () => {
    const p = plan(['locked-out']);
    expect(resolveStep(p, '2')?.id).toBe('card-stop');
    expect(resolveStep(p, '２')?.id).toBe('card-stop');
    expect(resolveStep(p, 'amazon-locked-out')?.n).toBe(3);
    expect(resolveStep(p, '99')).toBeUndefined();
    expect(resolveStep(p, 'no-such-step')).toBeUndefined();
  });
});

describe('phone script', () => {
  it('reads out the facts, leaving blanks for what is unknown', () => {
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

  it('fits the situation: a purchase by mistake is not a takeover; a typed card number is said as such', () => {
    const facts = { orderIds: ['249-1234567-7654321'] };
    const amazon = (situations: Situation[]) =>
      phoneScript('amazon', facts, '2026-11-20', situations).map((l) => l.key);
    expect(amazon(['accidental-purchase'])).toEqual([
      'script.amazon.opening.accidental',
      'script.identity',
      'script.orders.accidental',
      'script.amazon.ask.accidental',
      'script.record',
    ]);
    expect(amazon(['accidental-purchase', 'unknown-order'])[0]).toBe('script.amazon.opening');
    expect(amazon(['unknown-charge'])[0]).toBe('script.amazon.opening.charge');
    expect(phoneScript('card-issuer', {}, '2026-11-20', ['entered-card'])[0]!.key).toBe(
      'script.card-issuer.opening.entered-card',
    );
  });
});

describe('what to prepare', () => {
  it('nobody without a fake site is asked for its address', () => {
    const prepare = (situations: Situation[]) =>
      buildPlan({ situations, region: 'jp', noticed: '2026-11-20' }, knowledge, 'ja')
        .steps.find((s) => s.id === 'card-stop')!
        .prepare.join(' ');
    expect(prepare(['unknown-charge'])).not.toMatch(/偽サイト/);
    expect(prepare(['entered-card'])).toMatch(/偽サイトのアドレス/);
  });
});

describe('a fake mail of another brand gets a plan that names that brand', () => {
  const brandOf = (id: string) => {
    const m = knowledge.merchants.find((x) => x.id === id)!;
    return planBrand(m);
  };
  const rakuten = brandOf('rakuten-card')!;

  it('Amazon storefronts are the plan’s own subject: no brand', () => {
    expect(brandOf('amazon-jp')).toBeUndefined();
    expect(brandOf('amazon-de')).toBeUndefined();
    expect(rakuten).toEqual({ name: '楽天カード', site: 'rakuten-card.co.jp' });
  });

  it('楽天カード: check, password and report steps name it and its site; no Amazon step is left', () => {
    const p = plan(['suspicious-mail', 'entered-password'], { brand: rakuten });
    const got = p.steps.map((s) => s.id);
    expect(got).toEqual(
      expect.arrayContaining(['check-genuine-brand', 'password-change-brand', 'report-brand']),
    );
    for (const amazonOnly of [
      'check-genuine',
      'password-change',
      'enable-2sv',
      'report-amazon',
      'review-account',
    ])
      expect(got).not.toContain(amazonOnly);
    const text = JSON.stringify(p.steps);
    expect(text).toContain('楽天カード');
    expect(text).toContain('rakuten-card.co.jp');
    expect(text).not.toMatch(/\{brand\}|\{site\}/);
    expect(text).not.toContain('amazon.co.jp');
    expect(p.expect.map((e) => e.id)).toEqual(expect.arrayContaining(['no-reply-brand']));
    expect(p.expect.map((e) => e.id)).not.toContain('no-reply');
    // The council and the card company stay: they fit every brand.
    expect(ids(['suspicious-mail', 'entered-card'], { brand: rakuten })).toEqual(
      expect.arrayContaining(['card-stop', 'report-antiphishing']),
    );
  });

  it('an unknown Amazon order keeps its Amazon steps beside the other brand’s', () => {
    const got = ids(['suspicious-mail', 'unknown-order'], { brand: rakuten });
    expect(got).toEqual(expect.arrayContaining(['check-genuine-brand', 'password-change', 'review-account']));
    expect(got).not.toContain('check-genuine');
  });

  it('without a brand the plan is Amazon’s, and has no brand step', () => {
    const got = ids(['suspicious-mail', 'entered-password']);
    expect(got).toEqual(expect.arrayContaining(['check-genuine', 'password-change', 'report-amazon']));
    expect(got.filter((x) => x.endsWith('-brand') || x === 'check-brand-account')).toEqual([]);
  });

  it('in English too', () => {
    const p = plan(['suspicious-mail'], { brand: brandOf('yamato')! }, 'en');
    expect(p.steps[0]!.title).toContain('ヤマト運輸');
    expect(p.steps[0]!.how).toContain('kuronekoyamato.co.jp');
  });
});
