import { supersedePasted } from '#core/ledger/pasted/records.ts';
import {
  orderHistoryFrom,
  type CheckOptions,
  type CheckResult,
  type OrderHistory,
} from '#core/check/index.ts';
import type { CheckKnowledge, LedgerKnowledge } from '#core/knowledge/compile.ts';
import type { Situation } from '#core/knowledge/constants.ts';
import type { CardCharge, Currency, OrderLine, Storefront } from '#core/ledger/types.ts';
import { parseMail } from '#core/mail/parse.ts';
import {
  noticeTemplateFor,
  parseAmazonOrderMail,
  parseNoticeText,
  testChargeOf,
  type ChargeFact,
  type NoticeKnowledge,
} from '#core/notices/index.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Notifier } from '#core/ports/notifier.ts';
import type { Store, StoredLedger } from '#core/ports/store.ts';
import type {
  AlertKind,
  MailRef,
  NoticeChargeEvent,
  OrderEvent,
  WatchAlert,
  WatchEvent,
  WatchSource,
} from '#core/ports/watch.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';
import { checkMail, memoryMailSource } from './check-mail.ts';

export interface WatchKnowledge {
  check: CheckKnowledge;
  ledger: LedgerKnowledge;
  notices: NoticeKnowledge;
}

export interface WatchDeps {
  store: Store;
  knowledge: WatchKnowledge;
  clock: Clock;
  /** Told of each new alert as it is raised. */
  notifier?: Notifier;
  checkOptions?: Omit<CheckOptions, 'orders'>;
  /** Move phishing mails to this folder (never delete). */
  moveTo?: string;
}

/** What the watcher did with one new mail (`--json` prints these). */
export interface WatchOutcome {
  uid: string;
  verdict: string | null;
  brand: string | null;
  event: WatchEvent;
  alert: WatchAlert | null;
  /**
   * A genuine order mail from before the watcher's first run, recorded as history without the "an order you have
   * not seen" alert (the first run learns what the person already ordered).
   */
  learned: boolean;
}

/** The setting that says how far a mailbox's first run learned its history: `learning <ISO time>` or `learned`. */
const historyKey = (source: string) => `watch.history:${source}`;

/**
 * Whether the next run of this mailbox still learns its history: its first run, or one after a first run that did
 * not finish. Order mails dated before that first run began are recorded without the new-order alert.
 */
export async function learningHistory(store: Store, source: string): Promise<boolean> {
  const v = await store.getSetting(historyKey(source));
  return v === null || v.startsWith('learning');
}

const hex = (b: Uint8Array['buffer']) =>
  [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The setting that holds the key mamori signs the alert mails it writes into the watched mailbox with. */
export const ALERT_MAIL_KEY_SETTING = 'watch.alert-mail-key';
/** The header of such a mail: `<alert id> <HMAC-SHA256 of the id and the body's SHA-256, hex>`. */
export const ALERT_MAIL_HEADER = 'X-Mamori-Alert';

const utf8 = new TextEncoder();

/** Where a message's header ends (the first empty line), or -1. */
function headerEnd(bytes: Uint8Array): number {
  const max = Math.min(bytes.length, 256 * 1024);
  for (let i = 0; i + 1 < max; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return i + 1;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 1;
  }
  return -1;
}

/**
 * The token of an alert mail: it binds the alert id to the exact body, under a key only this store holds, so a
 * phishing mail that copies the header is judged like any other.
 */
export async function alertMailToken(key: string, alertId: string, body: Uint8Array): Promise<string> {
  const k = await crypto.subtle.importKey('raw', utf8.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const digest = hex(await crypto.subtle.digest('SHA-256', new Uint8Array(body)));
  return hex(await crypto.subtle.sign('HMAC', k, utf8.encode(`${alertId}\n${digest}`)));
}

/** Whether a mail is an alert mamori itself wrote into the mailbox (its token verifies): not judged again. */
export async function isOwnAlertMail(bytes: Uint8Array, key: string): Promise<boolean> {
  const end = headerEnd(bytes);
  if (end < 0) return false;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, end));
  const m = /^X-Mamori-Alert:[ \t]*([a-z0-9-]{1,80})[ \t]+([0-9a-f]{64})[ \t]*\r?$/imu.exec(head);
  if (!m) return false;
  let bodyStart = end;
  while (bytes[bodyStart] === 0x0d || bytes[bodyStart] === 0x0a) {
    if (bytes[bodyStart] === 0x0a) {
      bodyStart++;
      break;
    }
    bodyStart++;
  }
  const want = await alertMailToken(key, m[1]!, bytes.subarray(bodyStart));
  let diff = want.length ^ m[2]!.length;
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ (m[2]!.charCodeAt(i) || 0);
  return diff === 0;
}

/** SHA-256 of the message (Web Crypto: the same in Node and in a browser). */
export async function fingerprintOf(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
}

const STOREFRONTS: Record<string, Storefront> = { 'amazon-jp': 'amazon-jp', 'amazon-us': 'amazon-us' };
const CURRENCY: Record<Storefront, Currency> = { 'amazon-jp': 'JPY', 'amazon-us': 'USD' };

function mailText(text: string, html: string): string {
  if (text.trim()) return text;
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/giu, '')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/giu, '\n')
    .replace(/<[^>]+>/gu, ' ')
    .replace(/&nbsp;/gu, ' ')
    .replace(/&amp;/gu, '&')
    .replace(/[ \t]+/gu, ' ');
}

/** The Date header as YYYY-MM-DD (UTC), else today. */
function headerDate(raw: string | null, clock: Clock): string {
  const t = raw ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : clock.today();
}

/** Order events as order lines (one per mail, the total as its amount), for reconciliation only. */
function eventLines(events: readonly WatchEvent[], known: ReadonlySet<string>): OrderLine[] {
  const lines: OrderLine[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const o = e.order;
    // Imported order data wins over what a mail said; an order is counted once, from its first mail with a total.
    if (!o?.orderId || o.total === null || known.has(o.orderId) || seen.has(o.orderId)) continue;
    seen.add(o.orderId);
    lines.push({
      key: `mail|${e.id}`,
      orderId: o.orderId,
      storefront: o.storefront,
      kind: o.mailKind === 'digital' ? 'digital' : 'physical',
      orderAt: `${o.date}T00:00`,
      shipDate: o.mailKind === 'shipment' ? o.date : null,
      name: o.items[0] ?? '',
      asin: null,
      quantity: 1,
      amount: o.total,
      currency: o.currency,
      status: 'ok',
      payment: null,
      shipTo: null,
      seller: null,
      category: null,
      giftTo: null,
      source: { file: `mail:${e.source.mailbox}#${e.source.uid}`, row: 0 },
    });
  }
  return lines;
}

/**
 * Days either side of a new charge that reconciling it looks at: the widest matching window (an order charged up
 * to 21 days later), a monthly subscription's gap (35) and the duplicate check, with room to spare. A yearly fee
 * is known by its descriptor.
 */
const NEAR_DAYS = 40;
const DAY_MS = 86_400_000;

function window(dates: readonly string[]): (date: string) => boolean {
  const ts = dates.map((d) => Date.parse(`${d}T00:00:00Z`)).filter(Number.isFinite);
  if (!ts.length) return () => true;
  const lo = Math.min(...ts) - NEAR_DAYS * DAY_MS;
  const hi = Math.max(...ts) + NEAR_DAYS * DAY_MS;
  return (date) => {
    const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
    return !Number.isFinite(t) || (t >= lo && t <= hi);
  };
}

const dayMs = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);

/** The dates an order or charge event is about. */
const eventDates = (e: WatchEvent): string[] => [
  ...(e.order?.date ? [e.order.date] : []),
  ...(e.charges ?? []).map((c) => c.charge.date),
];

const eventCharges = (events: readonly WatchEvent[]): CardCharge[] =>
  events.flatMap((e) => (e.charges ?? []).map((c) => c.charge));

/**
 * Alert facts are the sender's words (a subject, a merchant name) printed on a terminal and in a desktop
 * notification: control characters (escape sequences that could rewrite the screen) become spaces, lengths capped.
 */
function plain(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      typeof v === 'string' ? v.replace(/\p{Cc}/gu, ' ').slice(0, 200) : v,
    ]),
  );
}

interface Judged {
  kind: WatchEvent['kind'];
  learned?: boolean;
  order?: OrderEvent;
  charges?: NoticeChargeEvent[];
  alert?: {
    kind: AlertKind;
    params: Record<string, string | number>;
    evidence: string[];
    situations: Situation[];
  };
}

/** Genuine: the check believed the brand's own authentication (an order newer than the export still is). */
const isGenuine = (r: CheckResult) =>
  r.brand !== null && (r.verdict === 'legitimate' || r.headline.id === 'genuine-unknown-order');

const topEvidence = (r: CheckResult) =>
  r.findings
    .filter((f) => f.severity === 'critical' || f.severity === 'high')
    .slice(0, 5)
    .map((f) => f.id);

/** Imported data older than this is read again (an import may run while the watcher does). */
const LEDGER_TTL_MS = 60_000;

/**
 * What one watcher run reads from the store, read once (not once per mail: a catch-up over 50,000 mails would
 * otherwise re-read every event for each one). Events the run records are appended; imported data is read again
 * after a minute.
 */
export class WatchContext {
  /**
   * The recorded events reconciliation reads (orders and charges), slimmed to what it reads, and only those near
   * the newest: a catch-up over years of mail stays flat in memory and linear in time. A mail dated before what
   * was let go (out of order) reloads them from the store.
   */
  private kept: WatchEvent[] | null = null;
  private newest = -Infinity;
  private horizon = -Infinity;
  private sincePrune = 0;
  private cachedLedger: {
    at: number;
    ledger: StoredLedger;
    known: Set<string>;
    coverage: { from: string; to: string } | null;
  } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Order numbers the recorded order events name. */
  readonly orderIds = new Set<string>();

  /** While a first run learns the history: mails dated before this (ms since 1970) are history. */
  learnBefore: number | null = null;

  /** Recorded order and charge events with a date within 40 days of one of `dates`, in the order recorded. */
  async eventsNear(dates: readonly string[]): Promise<WatchEvent[]> {
    const times = dates.map(dayMs).filter(Number.isFinite);
    const lo = times.length ? Math.min(...times) - NEAR_DAYS * DAY_MS : Number.NaN;
    if (this.kept === null || lo < this.horizon) {
      this.kept = [];
      this.horizon = -Infinity;
      // Read back whole (no pruning while reading: the mail that asked may be the oldest of all).
      this.sincePrune = -Infinity;
      for (const e of await this.store.watchEvents()) this.recorded(e);
      this.sincePrune = 0;
    }
    const near = window(dates);
    return this.kept.filter((e) => eventDates(e).some(near));
  }

  recorded(e: WatchEvent): void {
    if (e.order?.orderId) this.orderIds.add(e.order.orderId);
    if (!(e.order || e.charges) || !this.kept) return;
    this.kept.push({
      id: e.id,
      kind: e.kind,
      at: e.at,
      source: e.source,
      verdict: e.verdict,
      brand: e.brand,
      subject: '',
      ...(e.order ? { order: e.order } : {}),
      ...(e.charges ? { charges: e.charges } : {}),
    });
    for (const d of eventDates(e)) {
      const t = dayMs(d);
      if (t > this.newest) this.newest = t;
    }
    if (++this.sincePrune < 500) return;
    // Let go of what no mail near the newest can reach (three windows back, for mail that arrives late).
    this.sincePrune = 0;
    const horizon = this.newest - 3 * NEAR_DAYS * DAY_MS;
    if (!Number.isFinite(horizon) || horizon <= this.horizon) return;
    this.horizon = horizon;
    this.kept = this.kept.filter((x) => {
      const ts = eventDates(x).map(dayMs).filter(Number.isFinite);
      return !ts.length || Math.max(...ts) >= horizon;
    });
  }

  async ledger(): Promise<{
    ledger: StoredLedger;
    known: Set<string>;
    coverage: { from: string; to: string } | null;
  }> {
    const now = Date.parse(this.clock.now());
    const c = this.cachedLedger;
    if (c && Number.isFinite(now) && now - c.at < LEDGER_TTL_MS) return c;
    // As reconcile reads it: rows pasted from Amazon's pages give way to the export's (nothing counts twice).
    const ledger = supersedePasted(await this.store.load());
    const history = await this.store.orderHistory();
    const known = new Set<string>();
    for (const l of ledger.lines) known.add(l.orderId);
    for (const p of ledger.payments) known.add(p.orderId);
    this.cachedLedger = {
      at: Number.isFinite(now) ? now : 0,
      ledger,
      known,
      coverage: history.coverage ?? null,
    };
    return this.cachedLedger;
  }
}

/**
 * Decides what one new mail means, reading the store but writing nothing: the same `checkMail` use case as
 * `mamori check`, then (for genuine mails only) the order or card-notice details, reconciled against the store.
 */
export async function judgeMail(
  ref: MailRef,
  bytes: Uint8Array,
  deps: WatchDeps,
  context?: WatchContext,
): Promise<{ event: WatchEvent; alert: WatchAlert | null; learned: boolean }> {
  const { knowledge, clock } = deps;
  const at = clock.now();
  const id = (k: string) => `${k}-${ref.fingerprint.slice(0, 16)}`;
  const ctx = context ?? new WatchContext(deps.store, clock);
  const { ledger, known, coverage } = await ctx.ledger();
  // Both sets asked in place: copying them for every mail would make a catch-up quadratic.
  const imported = orderHistoryFrom(known, coverage);
  const orders: OrderHistory | null =
    known.size + ctx.orderIds.size
      ? { knows: true, has: (id) => imported.has(id) || ctx.orderIds.has(id), coverage }
      : null;

  let result: CheckResult | null = null;
  for await (const o of checkMail(memoryMailSource([{ label: ref.uid, bytes }]), {
    knowledge: knowledge.check,
    options: { ...deps.checkOptions, orders },
  }))
    if (o.ok) result = o.result;

  const base = { id: '', at, source: ref, verdict: result?.verdict ?? null, brand: result?.brand ?? null };
  let judged: Judged;
  if (!result) judged = { kind: 'unreadable' };
  else
    judged = await interpret(result, bytes, ref, deps, {
      ledger,
      eventsNear: (dates) => ctx.eventsNear(dates),
      known,
      seen: (o) => known.has(o) || ctx.orderIds.has(o),
      learnBefore: ctx.learnBefore,
    });
  const event: WatchEvent = {
    ...base,
    id: id(judged.kind),
    kind: judged.kind,
    subject: result?.subject ?? '',
    ...(judged.order ? { order: judged.order } : {}),
    ...(judged.charges ? { charges: judged.charges } : {}),
    // Evidence kept for a doubtful mail only: genuine order and card notices come by the thousand over the years.
    ...(result && (result.verdict === 'phishing' || result.verdict === 'suspicious')
      ? { checked: checkedEvidence(result) }
      : {}),
  };
  const alert: WatchAlert | null = judged.alert
    ? {
        id: id(judged.alert.kind),
        kind: judged.alert.kind,
        at,
        eventId: event.id,
        params: plain({ subject: event.subject, from: result?.from ?? '', ...judged.alert.params }),
        evidence: judged.alert.evidence,
        situations: judged.alert.situations,
        shown: false,
        dismissed: false,
      }
    : null;
  return { event, alert, learned: judged.learned === true };
}

// What is kept of a checked mail's evidence: enough to show it again, never its body.
const KEPT_FINDINGS = 20;
const KEPT_EVIDENCE_CHARS = 400;

function checkedEvidence(r: CheckResult): { from: string | null; findings: CheckResult['findings'] } {
  return {
    from: r.from,
    findings: r.findings.slice(0, KEPT_FINDINGS).map((f) => ({
      ...f,
      evidence:
        f.evidence.length > KEPT_EVIDENCE_CHARS ? f.evidence.slice(0, KEPT_EVIDENCE_CHARS) + '…' : f.evidence,
    })),
  };
}

async function interpret(
  r: CheckResult,
  bytes: Uint8Array,
  ref: MailRef,
  deps: WatchDeps,
  stored: {
    ledger: StoredLedger;
    /** Recorded order and charge events near these dates. */
    eventsNear: (dates: readonly string[]) => Promise<WatchEvent[]>;
    known: Set<string>;
    /** An order number imported or named by a mail recorded earlier. */
    seen: (orderId: string) => boolean;
    learnBefore: number | null;
  },
): Promise<Judged> {
  const { knowledge, clock } = deps;
  if (r.verdict === 'phishing')
    return {
      kind: 'phishing',
      alert: {
        kind: 'phishing',
        params: { brand: r.brand ?? '' },
        evidence: topEvidence(r),
        situations: r.suggestedSituations.length ? r.suggestedSituations : ['suspicious-mail'],
      },
    };
  if (!isGenuine(r)) return { kind: r.verdict === 'suspicious' ? 'suspicious' : 'unrelated' };

  if (r.notice === 'security')
    return {
      kind: 'security-notice',
      alert: {
        kind: 'security-notice',
        params: { noticeKind: r.noticeKind ?? 'sign-in' },
        evidence: r.findings
          .filter((f) => f.id.startsWith('notice.') || f.id.startsWith('auth.'))
          .map((f) => f.id),
        situations: r.suggestedSituations.length ? r.suggestedSituations : ['entered-password'],
      },
    };

  const parsed = await parseMail(bytes, knowledge.check.scoring.limits);
  if (!parsed.ok) return { kind: 'genuine' };
  const mail = parsed.mail;
  const text = mailText(mail.text, mail.html);
  const fromAddress = mail.from?.address ?? null;

  const storefront = r.brand ? STOREFRONTS[r.brand] : undefined;
  if (storefront) {
    const o = parseAmazonOrderMail(fromAddress, mail.subject, text);
    if (!o) return { kind: 'genuine' };
    const order: OrderEvent = {
      mailKind: o.kind,
      orderId: o.orderId,
      date: o.date ?? headerDate(mail.date, clock),
      items: o.items,
      total: o.total,
      currency: CURRENCY[storefront],
      storefront,
    };
    const judged: Judged = { kind: 'order', order };
    if (order.orderId && order.total !== null && !stored.known.has(order.orderId)) {
      const self: WatchEvent = {
        id: `order-${ref.fingerprint.slice(0, 16)}`,
        kind: 'order',
        at: clock.now(),
        source: ref,
        verdict: r.verdict,
        brand: r.brand,
        subject: r.subject,
        order,
      };
      const near = window([order.date]);
      const lines = [
        ...stored.ledger.lines,
        ...eventLines(
          [...(await stored.eventsNear([order.date])).filter((e) => e.order && near(e.order.date)), self],
          stored.known,
        ),
      ].filter((l) => near(l.orderAt.slice(0, 10)));
      const result = reconcile(
        { orders: assembleOrders(lines, stored.ledger.payments), refunds: [], charges: [] },
        knowledge.ledger,
      );
      const mine = result.orders.find((x) => x.orderId === order.orderId);
      if (mine && (mine.risk === 'medium' || mine.risk === 'high'))
        judged.alert = {
          kind: 'risky-order',
          params: { orderId: order.orderId, risk: mine.risk, total: order.total },
          evidence: mine.findings.map((f) => f.id),
          situations: ['unknown-order'],
        };
    }
    // An order the person has not seen before (not imported, no earlier mail names it): "did you order this?",
    // except for the history a first run learns.
    if (!judged.alert && order.orderId && !stored.seen(order.orderId)) {
      const dated = mail.date ? Date.parse(mail.date) : Number.NaN;
      if (stored.learnBefore !== null && Number.isFinite(dated) && dated < stored.learnBefore)
        judged.learned = true;
      else
        judged.alert = {
          kind: 'new-order',
          params: {
            orderId: order.orderId,
            date: order.date,
            item: order.items[0] ?? '',
            total: order.total ?? '',
            currency: order.currency,
          },
          evidence: [
            `${order.date} ${order.orderId}${order.total !== null ? ` ${order.total} ${order.currency}` : ''}`,
          ],
          situations: ['unknown-order'],
        };
    }
    return judged;
  }

  const template = noticeTemplateFor(fromAddress, mail.subject, knowledge.notices);
  // Only a notice the issuer's own domain authenticated counts: a forged copy never becomes a charge.
  if (!template || template.issuer !== r.brand || r.verdict !== 'legitimate') return { kind: 'genuine' };
  // Citi's text part is a "click here" stub: the charge is only in the HTML part.
  const notice =
    parseNoticeText(text, template, mail.subject) ??
    (mail.text.trim() && mail.html ? parseNoticeText(mailText('', mail.html), template, mail.subject) : null);
  if (!notice) return { kind: 'genuine' };
  const charges: NoticeChargeEvent[] = notice.charges.map((c, i) => ({
    template: notice.template,
    layout: notice.layout,
    uncertain: notice.uncertain,
    cancellation: c.cancellation,
    charge: {
      key: `notice|${ref.fingerprint.slice(0, 32)}|${i}`,
      date: c.date,
      description: c.merchant ?? template.issuer,
      amount: c.cancellation ? -c.amount : c.amount,
      currency: notice.currency,
      cardholder: null,
      layout: `notice:${notice.template}`,
      source: { file: `mail:${ref.mailbox}#${ref.uid}`, row: i + 1 },
      card: { issuer: template.issuer },
    },
  }));
  const judged: Judged = { kind: 'charge', charges };
  // Only what lies near the new charge is looked at: a catch-up over years of mail stays linear.
  const near = window(charges.map((c) => c.charge.date));
  const fact = (c: NoticeChargeEvent): ChargeFact => ({
    date: c.charge.date,
    amount: Math.abs(c.charge.amount),
    currency: c.charge.currency,
    cancellation: c.cancellation,
    issuer: c.charge.card?.issuer ?? '',
  });
  const nearEvents = await stored.eventsNear(charges.map((c) => c.charge.date));
  const earlier = nearEvents
    .flatMap((e) => e.charges ?? [])
    .filter((c) => near(c.charge.date))
    .map(fact);
  for (const [i, c] of charges.entries()) {
    const test = testChargeOf(
      fact(c),
      [...earlier, ...charges.slice(0, i).map(fact)],
      knowledge.notices.testCharges,
    );
    if (!test) continue;
    judged.alert = {
      kind: test.pattern === 'small' ? 'test-charge' : 'test-charge-cancelled',
      params: {
        amount: Math.abs(c.charge.amount),
        currency: c.charge.currency,
        merchant: c.charge.description,
        date: c.charge.date,
      },
      evidence: [
        `${c.charge.date} ${c.charge.description} ${c.charge.amount} ${c.charge.currency}`,
        ...(test.earlier ? [`${test.earlier.date} ${test.earlier.amount} ${test.earlier.currency}`] : []),
      ],
      situations: ['unknown-charge'],
    };
    return judged;
  }
  const lines = [
    ...stored.ledger.lines,
    ...eventLines(
      nearEvents.filter((e) => e.order && near(e.order.date)),
      stored.known,
    ),
  ].filter((l) => near(l.shipDate ?? l.orderAt.slice(0, 10)));
  const all = [
    ...stored.ledger.charges,
    ...eventCharges(nearEvents.filter((e) => e.charges?.some((c) => near(c.charge.date)))),
  ]
    .filter((c) => near(c.date))
    .concat(charges.map((c) => c.charge));
  const result = reconcile(
    { orders: assembleOrders(lines, stored.ledger.payments), refunds: stored.ledger.refunds, charges: all },
    knowledge.ledger,
  );
  const mine = new Set(charges.map((c) => c.charge.key));
  const bad = result.charges.find(
    (c) =>
      mine.has(c.key) &&
      (c.category === 'unexplained' ||
        c.category === 'cancelled-but-charged' ||
        c.category === 'duplicate' ||
        c.risk === 'medium' ||
        c.risk === 'high'),
  );
  if (bad)
    judged.alert = {
      kind: 'charge',
      params: {
        amount: bad.amount,
        currency: bad.currency,
        merchant: bad.description,
        date: bad.date,
        category: bad.category,
        risk: bad.risk ?? 'none',
      },
      evidence: [`${bad.date} ${bad.description} ${bad.amount}`, ...bad.findings.map((f) => f.id)],
      situations: ['unknown-charge'],
    };
  return judged;
}

/**
 * Watches one mailbox: every new message is judged once (its fingerprint remembered, so a re-scan after a
 * UIDVALIDITY change or a rewritten mbox never judges it twice), recorded with the cursor, and its alert told.
 */
export async function* watchMailbox(source: WatchSource, deps: WatchDeps): AsyncGenerator<WatchOutcome> {
  const cursor = await deps.store.watchCursor(source.key);
  const ctx = new WatchContext(deps.store, deps.clock);
  const history = await deps.store.getSetting(historyKey(source.key));
  if (history === null || history.startsWith('learning')) {
    // The first run (or one that did not finish) learns: order mails from before it began are history.
    const began = history?.slice('learning '.length) ?? deps.clock.now();
    if (history === null) await deps.store.setSetting(historyKey(source.key), `learning ${began}`);
    const t = Date.parse(began);
    ctx.learnBefore = Number.isFinite(t) ? t : null;
  }
  const alertKey = await deps.store.getSetting(ALERT_MAIL_KEY_SETTING);
  for await (const m of source.mails(cursor)) {
    if (alertKey && (await isOwnAlertMail(m.bytes, alertKey))) {
      await deps.store.setWatchCursor(source.key, m.cursor);
      continue;
    }
    const fingerprint = await fingerprintOf(m.bytes);
    if (await deps.store.watchSeen(fingerprint)) {
      await deps.store.setWatchCursor(source.key, m.cursor);
      continue;
    }
    const ref: MailRef = { mailbox: source.key, uid: m.uid, fingerprint };
    const { event, alert, learned } = await judgeMail(ref, m.bytes, deps, ctx);
    const fresh = await deps.store.recordWatched({
      source: source.key,
      cursor: m.cursor,
      fingerprint,
      event,
      alert,
    });
    if (!fresh) continue;
    ctx.recorded(event);
    if (alert)
      // The evidence and the plan's situations ride along: a notifier that has room (a webhook) says them too.
      deps.notifier?.notify({
        key: `watch.alert.${alert.kind}`,
        params: { ...alert.params, id: alert.id, evidence: alert.evidence, situations: alert.situations },
      });
    if (alert?.kind === 'phishing' && deps.moveTo && source.moveTo) await source.moveTo(m.uid, deps.moveTo);
    yield { uid: m.uid, verdict: event.verdict, brand: event.brand, event, alert, learned };
  }
  // Caught up (or stopped): the history is learned; from now on every order not seen before raises an alert.
  if (ctx.learnBefore !== null) await deps.store.setSetting(historyKey(source.key), 'learned');
}
