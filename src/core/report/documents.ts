import type { CaseEvent, CaseMail, CaseRecord, DisputedCharge } from '#core/case/case.ts';
import type { CardInfo, OrderLine } from '#core/ledger/types.ts';
import type { Plan, PlanStep, Who } from '#core/plan/plan.ts';
import { defangUrl, mailText, type Audience, type ReportDoc, type Section, type Text } from './report.ts';

/**
 * Each report is a document for someone else (the card company, the police, Amazon, the consumer centre): it
 * states facts and asks for something. Nothing in it is addressed to the person who made it — no advice, no rule
 * ids, no lists of links; steps appear only as done (with date and receipt number) or as still open; the fake
 * site's address appears once, where it is evidence.
 */
export interface ReportInput {
  case: CaseRecord;
  events: readonly CaseEvent[];
  plan: Plan;
  /** The export's lines of the case's orders (ship-to, gift recipient, items). */
  lines: readonly OrderLine[];
  today: string;
}

const money = (amount: number, currency: string) =>
  currency === 'JPY' ? `¥${amount.toLocaleString('ja-JP')}` : `$${amount.toFixed(2)}`;

function total(charges: readonly { amount: number; currency: string }[]): string {
  const by = new Map<string, number>();
  for (const c of charges) by.set(c.currency, (by.get(c.currency) ?? 0) + c.amount);
  return [...by].map(([cur, v]) => money(v, cur)).join(' + ') || '—';
}

/** Header text for the appendix: its lines kept, control characters and live links made inert. */
function headerText(s: string): string {
  return s.split('\n').map(mailText).join('\n');
}

export interface CaseOrder {
  id: string;
  at: string;
  items: string[];
  amount: number;
  currency: string;
  shipTo: string | null;
  giftTo: string | null;
  payment: string | null;
  status: OrderLine['status'];
}

/** The case's orders as the export gives them, in the order they were placed. */
export function caseOrders(c: CaseRecord, lines: readonly OrderLine[]): CaseOrder[] {
  const ids = new Set(c.charges.flatMap((x) => x.orderIds));
  const by = new Map<string, CaseOrder>();
  for (const l of lines) {
    if (!ids.has(l.orderId)) continue;
    const o = by.get(l.orderId) ?? {
      id: l.orderId,
      at: l.orderAt,
      items: [],
      amount: 0,
      currency: l.currency,
      shipTo: null,
      giftTo: null,
      payment: null,
      status: l.status,
    };
    if (l.orderAt < o.at) o.at = l.orderAt;
    o.items.push(l.name);
    o.amount += l.amount;
    o.shipTo ??= l.shipTo;
    o.giftTo ??= l.giftTo;
    o.payment ??= l.payment;
    by.set(l.orderId, o);
  }
  // Orders the charges name but the export lacks still count (the card report only has the statement).
  for (const id of ids)
    if (!by.has(id))
      by.set(id, {
        id,
        at: c.charges.find((x) => x.orderIds.includes(id))!.date,
        items: [],
        amount: 0,
        currency: 'JPY',
        shipTo: null,
        giftTo: null,
        payment: null,
        status: 'ok',
      });
  return [...by.values()].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * The card as one label: the issuer and the card's own name, once each ("三井住友カード(NL)", not
 * "三井住友カード 三井住友カード(NL)": a card's name usually starts with its issuer's).
 */
export function cardLabel(card: CardInfo): string {
  const { issuer, name } = card;
  if (!name) return issuer ?? '';
  if (!issuer) return name;
  const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return fold(name).includes(fold(issuer)) ? name : `${issuer} ${name}`;
}

/** The card: as the person gave it, else as the statement or the orders' payment method name it. */
export function cardOf(c: CaseRecord, orders: readonly CaseOrder[]): CardInfo {
  const fromStatement = c.charges.find((x) => x.card)?.card ?? {};
  const fromOrders = orders
    .map((o) => /(\d{4})\s*$/.exec(o.payment ?? '')?.[1])
    .find((x): x is string => !!x);
  const last4 = c.cardInfo?.last4 ?? fromStatement.last4 ?? fromOrders;
  const issuer = c.cardInfo?.issuer ?? fromStatement.issuer;
  const name = fromStatement.name;
  return { ...(issuer ? { issuer } : {}), ...(name ? { name } : {}), ...(last4 ? { last4 } : {}) };
}

const dateOf = (at: string) => at.slice(0, 16).replace('T', ' ');
const sentence = (t: Text, key: string, fallback = '') => {
  const s = t(key);
  return s === `[${key}]` ? fallback : s;
};
const reasonText = (t: Text, x: DisputedCharge) =>
  x.reasons
    .map((r) => sentence(t, `reason.${r}`))
    .filter(Boolean)
    .join('、');

const phishing = (c: CaseRecord) => c.mails.filter((m) => (m.role ?? 'phishing') === 'phishing');
const notices = (c: CaseRecord) => c.mails.filter((m) => m.role === 'genuine-notice');

/** Since when: the oldest disputed charge, phishing mail or order, else the day the person noticed. */
function since(c: CaseRecord, orders: readonly CaseOrder[]): string {
  const dates = [
    ...c.charges.map((x) => x.date),
    ...orders.map((o) => o.at.slice(0, 10)),
    ...c.mails.map((m) => m.received?.slice(0, 10)).filter((d): d is string => !!d),
    c.noticed,
  ].sort();
  return dates[0]!;
}

const only = (c: CaseRecord, s: string) => c.situations.length > 0 && c.situations.every((x) => x === s);

/** The first page: who, what, how much, since when, and what is asked. */
function summary(input: ReportInput, audience: Audience, t: Text, orders: readonly CaseOrder[]): Section {
  const c = input.case;
  const request = only(c, 'accidental-purchase')
    ? sentence(t, `report.request.${audience}.accidental`, t(`report.request.${audience}`))
    : t(`report.request.${audience}`);
  return {
    heading: t('report.summary'),
    items: [
      `${t('report.who')}: ${c.contact.name ?? '—'}`,
      ...(c.contact.address ? [`${t('report.address')}: ${c.contact.address}`] : []),
      `${t('report.contact')}: ${[c.contact.phone, c.contact.email].filter(Boolean).join(' / ') || '—'}`,
      `${t('report.what')}: ${c.situations.map((s) => t(`situation.${s}`)).join('、')}`,
      `${t('report.total')}: ${total(c.charges)}（${t('report.count', { count: c.charges.length })}）`,
      `${t('report.since')}: ${since(c, orders)}（${t('report.noticed')} ${c.noticed}）`,
      `${t('report.case')}: ${c.id}`,
    ],
    paragraphs: [`${t('report.asked')}: ${request}`],
  };
}

interface LogRow {
  at: string;
  who: string;
  what: string;
  receipt: string;
  note: string;
}

/** What was done, from the timeline and the steps marked done; each with its date and receipt number. */
function contactLog(input: ReportInput, t: Text, whos?: readonly Who[]): LogRow[] {
  const c = input.case;
  const rows: LogRow[] = input.events
    .filter((e) => e.kind !== 'noticed')
    .map((e) => ({
      at: dateOf(e.at),
      who: '',
      what: t(`event.${e.kind}`),
      receipt: e.receipt ?? '',
      note: e.note ?? '',
    }));
  for (const s of input.plan.steps) {
    const st = c.steps[s.id];
    if (st?.status !== 'done' || (whos && !whos.includes(s.who))) continue;
    rows.push({
      at: dateOf(st.at),
      who: t(`who.${s.who}`),
      what: s.title,
      receipt: st.receipt ?? '',
      note: st.note ?? '',
    });
  }
  return rows.sort((a, b) => a.at.localeCompare(b.at));
}

function logSection(input: ReportInput, t: Text, whos?: readonly Who[]): Section {
  const rows = contactLog(input, t, whos);
  return {
    heading: t('report.log'),
    ...(rows.length
      ? {
          table: {
            columns: [
              t('report.col.date'),
              t('report.col.who'),
              t('report.col.done'),
              t('report.col.receipt'),
              t('report.col.note'),
            ],
            rows: rows.map((r) => [r.at, r.who || '—', r.what, r.receipt || '—', r.note]),
          },
        }
      : { paragraphs: [t('report.log-none')] }),
  };
}

/** Still open: steps not done, as facts (what, with whom, by when), never as instructions. */
function openSection(plan: Plan, c: CaseRecord, t: Text, whos?: readonly Who[]): Section | null {
  const open = plan.steps.filter(
    (s: PlanStep) =>
      (!whos || whos.includes(s.who)) && !['done', 'skipped'].includes(c.steps[s.id]?.status ?? 'todo'),
  );
  if (!open.length) return null;
  return {
    heading: t('report.open'),
    table: {
      columns: [t('report.col.step'), t('report.col.who'), t('report.col.status'), t('report.col.deadline')],
      rows: open.map((s) => [
        s.title,
        t(`who.${s.who}`),
        t(`status.${c.steps[s.id]?.status ?? 'todo'}`),
        s.deadline ?? '—',
      ]),
    },
  };
}

function chargesSection(c: CaseRecord, t: Text, heading: string): Section {
  if (!c.charges.length) return { heading, paragraphs: [t('report.no-charges')] };
  return {
    heading,
    table: {
      columns: [
        t('report.col.date'),
        t('report.col.merchant'),
        t('report.col.amount'),
        t('report.col.order'),
        t('report.col.why'),
      ],
      rows: [
        ...c.charges.map((x) => [
          x.date,
          x.description,
          money(x.amount, x.currency),
          x.orderIds.join(', ') || '—',
          reasonText(t, x),
        ]),
        [t('report.sum'), '', total(c.charges), '', ''],
      ],
    },
  };
}

/** The statement lines exactly as the statement prints them, for the card company to find its own records. */
function statementSection(c: CaseRecord, t: Text): Section {
  if (!c.charges.length) return { heading: t('report.statement'), paragraphs: [t('report.no-charges')] };
  return {
    heading: t('report.statement'),
    table: {
      columns: [t('report.col.use-date'), t('report.col.descriptor'), t('report.col.printed-amount')],
      rows: [
        ...c.charges.map((x) => [
          x.printed?.date || x.date,
          x.printed?.description || x.description,
          x.printed?.amount || String(x.amount),
        ]),
        [t('report.sum'), '', total(c.charges)],
      ],
    },
    paragraphs: [t('report.statement-note')],
  };
}

/** A phishing mail in plain words: who sent it, what it said, when it came, and where it sent people (once). */
function mailItems(m: CaseMail, t: Text, withSite: boolean): string[] {
  return [
    `${t('report.mail.from')}: ${m.from ? mailText(m.from) : '—'}`,
    `${t('report.mail.subject')}: ${mailText(m.subject) || '—'}`,
    `${t('report.mail.received')}: ${m.received ?? '—'}`,
    `${t('report.mail.judged')}: ${t(`report.verdict.${m.verdict}`)}`,
    ...(withSite && m.site ? [`${t('report.mail.site')}: ${defangUrl(m.site)}`] : []),
  ];
}

function mailSections(c: CaseRecord, t: Text, withSite: boolean): Section[] {
  const out: Section[] = [];
  const ph = phishing(c);
  if (ph.length)
    out.push({
      heading: t('report.mails'),
      items: ph.flatMap((m, i) => [
        ...(ph.length > 1 ? [t('report.mail.n', { n: i + 1 })] : []),
        ...mailItems(m, t, withSite),
      ]),
      ...(withSite && ph.some((m) => m.site) ? { paragraphs: [t('report.site-note')] } : {}),
    });
  const gn = notices(c);
  if (gn.length)
    out.push({
      heading: t('report.notices'),
      items: gn.flatMap((m) => [
        `${t('report.mail.from')}: ${m.from ? mailText(m.from) : '—'}`,
        `${t('report.mail.subject')}: ${mailText(m.subject) || '—'}`,
        `${t('report.mail.received')}: ${m.received ?? '—'}`,
      ]),
      paragraphs: [t('report.notices-note')],
    });
  return out;
}

/** One timeline: mails, orders, charges, the day it was noticed, what was done. */
function timeline(input: ReportInput, t: Text, orders: readonly CaseOrder[]): Section {
  const c = input.case;
  const rows: [string, string, string][] = [
    [c.noticed, t('event.noticed'), ''],
    ...phishing(c)
      .filter((m) => m.received)
      .map((m): [string, string, string] => [m.received!, t('report.tl.phishing'), mailText(m.subject)]),
    ...notices(c)
      .filter((m) => m.received)
      .map((m): [string, string, string] => [m.received!, t('report.tl.notice'), mailText(m.subject)]),
    ...orders
      .filter((o) => o.items.length)
      .map((o): [string, string, string] => [
        dateOf(o.at),
        t('report.tl.order', { id: o.id }),
        `${o.items.join('、')} ${money(o.amount, o.currency)}`,
      ]),
    ...c.charges.map((x): [string, string, string] => [
      x.date,
      t('report.tl.charge'),
      `${x.printed?.description || x.description} ${money(x.amount, x.currency)}`,
    ]),
    ...contactLog(input, t).map((r): [string, string, string] => [
      r.at,
      r.who ? `${r.who}: ${r.what}` : r.what,
      [r.receipt && `${t('report.col.receipt')} ${r.receipt}`, r.note].filter(Boolean).join(' / '),
    ]),
  ];
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  return {
    heading: t('report.timeline'),
    table: { columns: [t('report.col.date'), t('report.col.event'), t('report.col.detail')], rows },
  };
}

function cardReport(input: ReportInput, t: Text, orders: CaseOrder[]): Section[] {
  const c = input.case;
  const card = cardOf(c, orders);
  const blank = '＿＿＿＿';
  return [
    summary(input, 'card', t, orders),
    {
      heading: t('report.card'),
      items: [
        `${t('report.card.issuer')}: ${cardLabel(card) || blank}`,
        `${t('report.card.last4')}: ${card.last4 ?? blank}`,
        `${t('report.card.holder')}: ${c.contact.name ?? blank}`,
      ],
    },
    statementSection(c, t),
    logSection(input, t),
    {
      heading: t('report.declaration'),
      paragraphs: [
        t('report.declaration.text'),
        `${t('report.made-on')}: ${input.today}`,
        `${t('report.sign.date')}: ${t('report.sign.date-blank')}`,
        `${t('report.sign.name')}: ＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿`,
        `${t('report.address')}: ${c.contact.address ?? '＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿'}`,
      ],
    },
  ];
}

function policeReport(input: ReportInput, t: Text, orders: CaseOrder[]): Section[] {
  const c = input.case;
  const sent = orders.filter((o) => o.shipTo || o.giftTo);
  const out: Section[] = [summary(input, 'police', t, orders), timeline(input, t, orders)];
  out.push(chargesSection(c, t, t('report.damage')));
  if (sent.length)
    out.push({
      heading: t('report.ship-to'),
      table: {
        columns: [
          t('report.col.order'),
          t('report.col.ordered'),
          t('report.col.items'),
          t('report.col.ship-to'),
          t('report.col.gift-to'),
        ],
        rows: sent.map((o) => [o.id, dateOf(o.at), o.items.join('、'), o.shipTo ?? '—', o.giftTo ?? '—']),
      },
      paragraphs: [t('report.ship-to-note')],
    });
  out.push(...mailSections(c, t, true), logSection(input, t));
  const headers = c.mails.filter((m) => m.headers);
  if (headers.length)
    out.push(
      ...headers.map((m, i) => ({
        heading: t('report.appendix', { n: i + 1, subject: mailText(m.subject) || '—' }),
        pre: headerText(m.headers!),
      })),
    );
  return out;
}

/** What Amazon is asked to reverse: changes the intruder made, addresses and recipients it added. */
function changesToReverse(c: CaseRecord, t: Text, orders: readonly CaseOrder[]): string[] {
  const own = c.contact.name;
  const items: string[] = [];
  if (c.situations.includes('account-changed')) items.push(t('report.reverse.account-changed'));
  if (c.situations.includes('locked-out')) items.push(t('report.reverse.locked-out'));
  if (c.situations.includes('entered-password')) items.push(t('report.reverse.sessions'));
  const strangers = [
    ...new Set(orders.map((o) => o.shipTo).filter((s): s is string => !!s && (!own || !s.includes(own)))),
  ];
  for (const s of strangers) items.push(t('report.reverse.ship-to', { address: s }));
  for (const g of new Set(orders.map((o) => o.giftTo).filter((s): s is string => !!s)))
    items.push(t('report.reverse.gift-to', { recipient: g }));
  return items;
}

const GIFT_CARD = /ギフト券|ギフトカード|gift ?card/i;

function amazonReport(input: ReportInput, t: Text, orders: CaseOrder[]): Section[] {
  const c = input.case;
  const out: Section[] = [summary(input, 'amazon', t, orders)];
  out.push({
    heading: t('report.orders'),
    ...(orders.length
      ? {
          table: {
            columns: [
              t('report.col.order'),
              t('report.col.ordered'),
              t('report.col.items'),
              t('report.col.amount'),
              t('report.col.asked'),
            ],
            rows: orders.map((o) => {
              const charged = c.charges.filter((x) => x.orderIds.includes(o.id));
              return [
                o.id,
                dateOf(o.at),
                o.items.join('、') || '—',
                o.items.length ? money(o.amount, o.currency) : total(charged),
                t(o.status === 'pending' ? 'report.ask.cancel' : 'report.ask.refund'),
              ];
            }),
          },
        }
      : { paragraphs: [t('report.orders-none')] }),
  });
  const reverse = changesToReverse(c, t, orders);
  if (reverse.length) out.push({ heading: t('report.reverse'), items: reverse });
  const giftPaid = orders.filter((o) => GIFT_CARD.test(o.payment ?? ''));
  if (c.situations.includes('gift-card-drained') || giftPaid.length)
    out.push({
      heading: t('report.gift'),
      paragraphs: [
        giftPaid.length
          ? t('report.gift.amount', { amount: total(giftPaid), orders: giftPaid.map((o) => o.id).join(', ') })
          : t('report.gift.unknown'),
      ],
    });
  out.push(...mailSections(c, t, false), logSection(input, t, ['amazon']));
  return out;
}

function consumerReport(input: ReportInput, t: Text, orders: CaseOrder[]): Section[] {
  const c = input.case;
  const out: Section[] = [
    summary(input, 'consumer-centre', t, orders),
    timeline(input, t, orders),
    chargesSection(c, t, t('report.charges')),
    ...mailSections(c, t, true),
    logSection(input, t),
  ];
  const open = openSection(input.plan, c, t);
  out.push(open ?? { heading: t('report.open'), paragraphs: [t('report.open-none')] });
  return out;
}

/** The report for one reader, the same document for Markdown, HTML and PDF. */
export function buildReportDoc(
  input: ReportInput,
  audience: Audience,
  t: Text,
  lang: 'ja' | 'en',
): ReportDoc {
  const orders = caseOrders(input.case, input.lines);
  const sections =
    audience === 'card'
      ? cardReport(input, t, orders)
      : audience === 'police'
        ? policeReport(input, t, orders)
        : audience === 'amazon'
          ? amazonReport(input, t, orders)
          : consumerReport(input, t, orders);
  sections.push({ heading: t('report.notes'), paragraphs: [t('report.made-by', { date: input.today })] });
  const c = input.case;
  return {
    lang,
    title: t(`report.title.${audience}`),
    subtitle: `${c.contact.name ? `${c.contact.name} — ` : ''}${t('report.made-on')} ${input.today} — ${c.id}`,
    sections,
  };
}
