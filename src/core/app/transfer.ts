import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import { PROVIDER_SETTING } from '#core/mail/provider-setting.ts';
import { providerById } from '#core/mail/providers.ts';
import type { Store, StoredLedger, TransferWrite } from '#core/ports/store.ts';
import type { WatchAlert, WatchEvent, WatchRecord } from '#core/ports/watch.ts';

/**
 * Moving data between the CLI, the served app and the app in a browser: one JSON document holding a case, or
 * everything, with the person's settings (only those on the allow-list below: never a secret). `importData` checks
 * the whole document before it writes anything, then writes it in one all-or-nothing `Store.applyTransfer`, and
 * importing it again adds nothing (natural keys for the ledger, ids for cases, event equality, mail fingerprints
 * for the watcher's, equal values for settings). A document without `settings` (written before they were
 * carried) reads as one with none.
 */
export const TRANSFER_FORMAT = 'mamori-transfer';
export const TRANSFER_VERSION = 1;

export interface TransferCase {
  case: CaseRecord;
  events: CaseEvent[];
}

export interface TransferDocument {
  format: typeof TRANSFER_FORMAT;
  version: number;
  /** When it was written (ISO), if the writer said. */
  exported?: string;
  scope: { kind: 'all' } | { kind: 'case'; caseId: string };
  /** Everything imported (empty in a case's file: a case carries its own disputed charges). */
  ledger: StoredLedger;
  cases: TransferCase[];
  watch: { events: WatchEvent[]; alerts: WatchAlert[] };
  /** The person's settings on the allow-list (`TRANSFER_SETTINGS`), by key; absent in older files. */
  settings?: Record<string, string>;
}

const CASE_KEY = /^web\.(brand|dates)\.(.+)$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The settings a transfer file carries, and the values each may have: the person's choices, never a secret and
 * never this device's own state. Left behind on purpose: the watcher's webhook URL (an ntfy topic in it reads like
 * a password), the alert-mail switch and its signing key (`watch.alert-mail-key`), each mailbox's history marker
 * (`watch.history:*`); IMAP passwords live in the OS keyring, never in the store. A file carrying any other key is
 * refused whole.
 */
export const TRANSFER_SETTINGS: readonly {
  /** The key, or for a case's own settings its prefix (`web.brand.<case id>`). */
  key: string;
  perCase: boolean;
  valid(value: string, cases: ReadonlySet<string>): boolean;
}[] = [
  // The person's mail provider (`mamori config provider`), which decides whose Authentication-Results are trusted.
  { key: PROVIDER_SETTING, perCase: false, valid: (v) => v === '' || providerById(v) !== null },
  // The web app: the case it shows, the brand a case's fake mail claimed, the dates the person gave for a case.
  { key: 'web.current-case', perCase: false, valid: (v, cases) => v === '' || cases.has(v) },
  { key: 'web.brand', perCase: true, valid: (v) => v === '' || /^[a-z0-9-]{1,64}$/.test(v) },
  {
    key: 'web.dates',
    perCase: true,
    valid: (v) => {
      try {
        const d: unknown = JSON.parse(v);
        return (
          isObj(d) &&
          Object.entries(d).every(
            ([k, x]) =>
              (k === 'firstCharge' || k === 'statementDate') && typeof x === 'string' && ISO_DAY.test(x),
          )
        );
      } catch {
        return false;
      }
    },
  },
];

/** Why a document was refused: a code for messages (`transfer.<code>`) and where in the document. */
export class TransferError extends Error {
  constructor(
    readonly code: 'not-mamori' | 'future-version' | 'invalid' | 'no-case' | 'setting-not-allowed',
    readonly where = '',
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${where ? ` at ${where}` : ''}`);
  }
}

export interface TransferResult {
  ledger: { added: number; unchanged: number };
  cases: { added: number; unchanged: number; events: number };
  /** Cases whose id is already used here by a different case: left as they were, never overwritten. */
  conflicts: string[];
  watch: { added: number; unchanged: number };
  /** Settings written (unset here before), already the same, and those set here to another value: kept. */
  settings: { added: number; unchanged: number; kept: string[] };
}

/** The key under which imported watcher records are kept (so no real mailbox's cursor is ever moved). */
const IMPORT_SOURCE = 'import:mamori-transfer';

/** A case, or everything, as one document. */
export async function exportData(
  store: Store,
  opts: { caseId?: string; now?: string } = {},
): Promise<TransferDocument> {
  const meta = opts.now ? { exported: opts.now } : {};
  if (opts.caseId !== undefined) {
    const c = await store.getCase(opts.caseId);
    if (!c) throw new TransferError('no-case', '', { id: opts.caseId });
    return {
      format: TRANSFER_FORMAT,
      version: TRANSFER_VERSION,
      ...meta,
      scope: { kind: 'case', caseId: c.id },
      ledger: { lines: [], payments: [], refunds: [], charges: [] },
      cases: [{ case: c, events: await store.events(c.id) }],
      watch: { events: [], alerts: [] },
      settings: await settingsOf(store, [c.id], false),
    };
  }
  const cases: TransferCase[] = [];
  for (const c of await store.listCases()) cases.push({ case: c, events: await store.events(c.id) });
  return {
    format: TRANSFER_FORMAT,
    version: TRANSFER_VERSION,
    ...meta,
    scope: { kind: 'all' },
    ledger: await store.load(),
    cases,
    watch: { events: await store.watchEvents(), alerts: await store.alerts({ all: true }) },
    settings: await settingsOf(
      store,
      cases.map((c) => c.case.id),
      true,
    ),
  };
}

/** The allow-listed settings that are set (the person's ones, and with `all` the device-wide ones too). */
async function settingsOf(
  store: Store,
  caseIds: readonly string[],
  all: boolean,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const cases = new Set(caseIds);
  for (const s of TRANSFER_SETTINGS) {
    if (!s.perCase && !all) continue;
    for (const key of s.perCase ? caseIds.map((id) => `${s.key}.${id}`) : [s.key]) {
      const v = await store.getSetting(key);
      if (v && s.valid(v, cases)) out[key] = v;
    }
  }
  return out;
}

// ── Shape checks. Everything that arrives from a file or over HTTP is hostile: each record must have the fields
// the stores and the engine read, of the right type; anything else is refused before a single write.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_TEXT = 100_000;

class Shape {
  constructor(readonly where: string) {}
  fail(field: string): never {
    throw new TransferError('invalid', `${this.where}${field ? `.${field}` : ''}`);
  }
  obj(v: unknown, field = ''): Obj {
    if (!isObj(v)) this.fail(field);
    return v;
  }
  str(o: Obj, field: string, opts: { max?: number; optional?: boolean; nullable?: boolean } = {}): void {
    const v = o[field];
    if (v === undefined && opts.optional) return;
    if (v === null && opts.nullable) return;
    if (typeof v !== 'string' || v.length > (opts.max ?? MAX_TEXT)) this.fail(field);
  }
  num(o: Obj, field: string, opts: { nullable?: boolean } = {}): void {
    const v = o[field];
    if (v === null && opts.nullable) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field);
  }
  bool(o: Obj, field: string): void {
    if (typeof o[field] !== 'boolean') this.fail(field);
  }
  arr(o: Obj, field: string, optional = false): unknown[] {
    const v = o[field];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) this.fail(field);
    return v as unknown[];
  }
  strings(o: Obj, field: string): void {
    for (const s of this.arr(o, field)) if (typeof s !== 'string' || s.length > MAX_TEXT) this.fail(field);
  }
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

function source(s: Shape, o: Obj): void {
  const src = s.obj(o.source, 'source');
  s.str(src, 'file');
  s.num(src, 'row');
}

export function checkLine(v: unknown, where: string): OrderLine {
  const s = new Shape(where);
  const o = s.obj(v);
  for (const f of ['key', 'orderId', 'storefront', 'kind', 'orderAt', 'name', 'currency', 'status'])
    s.str(o, f);
  for (const f of ['shipDate', 'asin', 'payment', 'shipTo', 'seller', 'category', 'giftTo'])
    s.str(o, f, { nullable: true, optional: true });
  s.num(o, 'quantity');
  s.num(o, 'amount');
  source(s, o);
  return o as unknown as OrderLine;
}

export function checkPayment(v: unknown, where: string): OrderPayment {
  const s = new Shape(where);
  const o = s.obj(v);
  for (const f of ['key', 'orderId', 'date', 'currency']) s.str(o, f);
  s.str(o, 'method', { nullable: true, optional: true });
  s.num(o, 'amount');
  source(s, o);
  return o as unknown as OrderPayment;
}

export function checkRefund(v: unknown, where: string): Refund {
  const s = new Shape(where);
  const o = s.obj(v);
  for (const f of ['key', 'orderId', 'date', 'currency']) s.str(o, f);
  s.num(o, 'amount');
  source(s, o);
  return o as unknown as Refund;
}

export function checkCharge(v: unknown, where: string): CardCharge {
  const s = new Shape(where);
  const o = s.obj(v);
  for (const f of ['key', 'date', 'description', 'currency', 'layout']) s.str(o, f);
  s.str(o, 'cardholder', { nullable: true, optional: true });
  s.num(o, 'amount');
  source(s, o);
  if (o.printed !== undefined) {
    const p = s.obj(o.printed, 'printed');
    for (const f of ['date', 'description', 'amount']) s.str(p, f);
  }
  if (o.card !== undefined) s.obj(o.card, 'card');
  return o as unknown as CardCharge;
}

/** A case id as the CLI and the app make them (C-YYYYMMDD-N) or any short, plain id. */
export const isCaseId = (id: unknown): id is string => typeof id === 'string' && ID.test(id);

export function checkCase(v: unknown, where: string): CaseRecord {
  const s = new Shape(where);
  const o = s.obj(v);
  if (!isCaseId(o.id)) s.fail('id');
  for (const f of ['created', 'title', 'region', 'noticed']) s.str(o, f);
  if (!DATE.test(o.created as string)) s.fail('created');
  s.str(o, 'card', { optional: true });
  s.strings(o, 'situations');
  const contact = s.obj(o.contact, 'contact');
  for (const f of ['name', 'phone', 'email', 'address']) s.str(contact, f, { optional: true });
  if (o.cardInfo !== undefined) s.obj(o.cardInfo, 'cardInfo');
  s.arr(o, 'mails').forEach((m, i) => {
    const mail = s.obj(m, `mails[${i}]`);
    for (const f of ['source', 'verdict', 'subject', 'auth']) s.str(mail, f);
    s.str(mail, 'from', { nullable: true });
    s.arr(mail, 'findings');
    s.arr(mail, 'links');
  });
  s.arr(o, 'charges').forEach((c, i) => {
    const ch = s.obj(c, `charges[${i}]`);
    for (const f of ['date', 'description', 'currency', 'category', 'risk']) s.str(ch, f);
    s.num(ch, 'amount');
    s.strings(ch, 'orderIds');
    s.strings(ch, 'reasons');
  });
  const steps = s.obj(o.steps, 'steps');
  for (const [k, st] of Object.entries(steps)) {
    const step = s.obj(st, `steps.${k}`);
    s.str(step, 'status');
    s.str(step, 'at');
    s.str(step, 'note', { optional: true });
    s.str(step, 'receipt', { optional: true });
  }
  if (o.checkup !== undefined) s.obj(o.checkup, 'checkup');
  return o as unknown as CaseRecord;
}

export function checkEvent(v: unknown, where: string): CaseEvent {
  const s = new Shape(where);
  const o = s.obj(v);
  s.str(o, 'at');
  if (!DATE.test(o.at as string)) s.fail('at');
  s.str(o, 'kind', { max: 64 });
  s.str(o, 'note', { optional: true });
  s.str(o, 'receipt', { optional: true });
  return o as unknown as CaseEvent;
}

export function checkWatchEvent(v: unknown, where: string): WatchEvent {
  const s = new Shape(where);
  const o = s.obj(v);
  for (const f of ['id', 'kind', 'at', 'subject']) s.str(o, f);
  s.str(o, 'verdict', { nullable: true });
  s.str(o, 'brand', { nullable: true });
  const src = s.obj(o.source, 'source');
  for (const f of ['mailbox', 'uid', 'fingerprint']) s.str(src, f);
  return o as unknown as WatchEvent;
}

export function checkAlert(v: unknown, where: string): WatchAlert {
  const s = new Shape(where);
  const o = s.obj(v);
  for (const f of ['id', 'kind', 'at', 'eventId']) s.str(o, f);
  const params = s.obj(o.params, 'params');
  for (const [k, p] of Object.entries(params))
    if (typeof p !== 'string' && (typeof p !== 'number' || !Number.isFinite(p))) s.fail(`params.${k}`);
  s.strings(o, 'evidence');
  s.strings(o, 'situations');
  s.bool(o, 'shown');
  s.bool(o, 'dismissed');
  return o as unknown as WatchAlert;
}

/** Checks a whole document; the first problem found is thrown as a TransferError. */
export function checkDocument(v: unknown): TransferDocument {
  if (!isObj(v) || v.format !== TRANSFER_FORMAT) throw new TransferError('not-mamori');
  if (typeof v.version !== 'number' || !Number.isInteger(v.version) || v.version < 1)
    throw new TransferError('invalid', 'version');
  if (v.version > TRANSFER_VERSION)
    throw new TransferError('future-version', '', { version: v.version, supported: TRANSFER_VERSION });
  const s = new Shape('');
  const scope = s.obj(v.scope, 'scope');
  if (scope.kind !== 'all' && !(scope.kind === 'case' && isCaseId(scope.caseId))) s.fail('scope');
  const ledger = s.obj(v.ledger, 'ledger');
  const each = <T>(list: unknown[], name: string, check: (x: unknown, w: string) => T): T[] =>
    list.map((x, i) => check(x, `${name}[${i}]`));
  const lines = each(s.arr(ledger, 'lines'), 'ledger.lines', checkLine);
  const payments = each(s.arr(ledger, 'payments'), 'ledger.payments', checkPayment);
  const refunds = each(s.arr(ledger, 'refunds'), 'ledger.refunds', checkRefund);
  const charges = each(s.arr(ledger, 'charges'), 'ledger.charges', checkCharge);
  const seen = new Set<string>();
  const cases = s.arr(v, 'cases').map((x, i) => {
    const cs = new Shape(`cases[${i}]`);
    const o = cs.obj(x);
    const c = checkCase(o.case, `cases[${i}].case`);
    if (seen.has(c.id)) cs.fail('case.id');
    seen.add(c.id);
    return { case: c, events: each(cs.arr(o, 'events'), `cases[${i}].events`, checkEvent) };
  });
  const watch = s.obj(v.watch, 'watch');
  const events = each(s.arr(watch, 'events'), 'watch.events', checkWatchEvent);
  const alerts = each(s.arr(watch, 'alerts'), 'watch.alerts', checkAlert);
  const eventIds = new Set(events.map((e) => e.id));
  alerts.forEach((a, i) => {
    if (!eventIds.has(a.eventId)) throw new TransferError('invalid', `watch.alerts[${i}].eventId`);
  });
  const settings = checkSettings(v.settings, new Set(cases.map((c) => c.case.id)), scope.kind === 'all');
  return {
    format: TRANSFER_FORMAT,
    version: v.version,
    ...(typeof v.exported === 'string' ? { exported: v.exported } : {}),
    scope: scope as TransferDocument['scope'],
    ledger: { lines, payments, refunds, charges },
    cases,
    watch: { events, alerts },
    settings,
  };
}

/** A document's settings: each key on the allow-list (a case's own for a case in the file), each value valid. */
function checkSettings(v: unknown, cases: ReadonlySet<string>, all: boolean): Record<string, string> {
  if (v === undefined) return {};
  if (!isObj(v)) throw new TransferError('invalid', 'settings');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(v)) {
    const perCase = CASE_KEY.exec(key);
    const rule = TRANSFER_SETTINGS.find((s) => (s.perCase ? perCase?.[1] === s.key.slice(4) : s.key === key));
    if (!rule || (!rule.perCase && !all) || key.length > 200)
      throw new TransferError('setting-not-allowed', `settings.${key.slice(0, 200)}`, {
        key: key.slice(0, 200),
      });
    if (rule.perCase && !cases.has(perCase![2]!)) throw new TransferError('invalid', `settings.${key}`);
    if (typeof value !== 'string' || value.length > 10_000 || !rule.valid(value, cases))
      throw new TransferError('invalid', `settings.${key}`);
    out[key] = value;
  }
  return out;
}

/**
 * A `TransferWrite` that arrived over HTTP (`POST /api/transfer/apply`, the served app's `applyTransfer`): every
 * record checked as in a document, the settings on the allow-list; the first problem is thrown.
 */
export function checkTransferWrite(v: unknown): TransferWrite {
  const s = new Shape('');
  const o = s.obj(v);
  const l = s.obj(o.ledger, 'ledger');
  s.str(l, 'file', { max: 1000 });
  s.str(l, 'kind', { max: 100 });
  const r = s.obj(l.records, 'ledger.records');
  const each = <T>(list: unknown[], name: string, check: (x: unknown, w: string) => T): T[] =>
    list.map((x, i) => check(x, `${name}[${i}]`));
  const records = {
    lines: each(s.arr(r, 'lines'), 'ledger.records.lines', checkLine),
    payments: each(s.arr(r, 'payments'), 'ledger.records.payments', checkPayment),
    refunds: each(s.arr(r, 'refunds'), 'ledger.records.refunds', checkRefund),
    charges: each(s.arr(r, 'charges'), 'ledger.records.charges', checkCharge),
  };
  const cases = each(s.arr(o, 'cases'), 'cases', checkCase);
  const events = s.arr(o, 'events').map((x, i) => {
    const e = new Shape(`events[${i}]`).obj(x);
    if (!isCaseId(e.caseId)) s.fail(`events[${i}].caseId`);
    return { caseId: e.caseId as string, event: checkEvent(e.event, `events[${i}].event`) };
  });
  const watch = s.arr(o, 'watch').map((x, i) => {
    const w = new Shape(`watch[${i}]`);
    const rec = w.obj(x);
    w.str(rec, 'source', { max: 1000 });
    w.str(rec, 'fingerprint', { max: 200 });
    const cursor = w.obj(rec.cursor, 'cursor');
    w.str(cursor, 'validity', { max: 200 });
    w.num(cursor, 'last');
    return {
      source: rec.source as string,
      cursor: { validity: cursor.validity as string, last: cursor.last as number },
      fingerprint: rec.fingerprint as string,
      event: checkWatchEvent(rec.event, `watch[${i}].event`),
      alert: rec.alert === null ? null : checkAlert(rec.alert, `watch[${i}].alert`),
    };
  });
  // Any case id may be named: the case may be in this write or already in the store.
  const anyCase = { has: isCaseId } as unknown as ReadonlySet<string>;
  const pairs = s.arr(o, 'settings').map((x, i) => {
    const p = new Shape(`settings[${i}]`).obj(x);
    if (typeof p.key !== 'string') s.fail(`settings[${i}].key`);
    return [p.key, p.value] as const;
  });
  const allowed = checkSettings(Object.fromEntries(pairs), anyCase, true);
  return {
    ledger: { file: l.file as string, kind: l.kind as string, records },
    cases,
    events,
    watch,
    settings: Object.entries(allowed).map(([key, value]) => ({ key, value })),
  };
}

const eventKey = (e: CaseEvent) => JSON.stringify([e.at, e.kind, e.note ?? null, e.receipt ?? null]);
/** Equality of stored JSON, whatever order the keys came in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Writes a document into a store. Everything is checked first (a bad or future-version file writes nothing), then
 * written in one all-or-nothing `applyTransfer` (a write that fails half-way leaves nothing of the file); a case
 * whose id is taken by a different case is left as it was and reported, and so is a setting set here to another
 * value; importing the same file again adds nothing.
 */
export async function importData(store: Store, input: unknown): Promise<TransferResult> {
  const doc = checkDocument(input);
  // Everything that decides what is written is read before the first write.
  const plans: { c: TransferCase; create: boolean; newEvents: CaseEvent[] }[] = [];
  const conflicts: string[] = [];
  let unchangedCases = 0;
  for (const c of doc.cases) {
    const stored = await store.getCase(c.case.id);
    if (stored && canonical(stored) !== canonical(c.case)) {
      conflicts.push(c.case.id);
      continue;
    }
    const have = new Map<string, number>();
    if (stored)
      for (const e of await store.events(c.case.id)) have.set(eventKey(e), (have.get(eventKey(e)) ?? 0) + 1);
    const newEvents = c.events.filter((e) => {
      const k = eventKey(e);
      const n = have.get(k) ?? 0;
      if (n > 0) {
        have.set(k, n - 1);
        return false;
      }
      return true;
    });
    if (stored && newEvents.length === 0) unchangedCases++;
    plans.push({ c, create: !stored, newEvents });
  }
  const watchFresh: WatchEvent[] = [];
  for (const e of doc.watch.events) if (!(await store.watchSeen(e.source.fingerprint))) watchFresh.push(e);
  const alertOf = new Map(doc.watch.alerts.map((a) => [a.eventId, a]));
  let last = (await store.watchCursor(IMPORT_SOURCE))?.last ?? 0;
  const watch: WatchRecord[] = watchFresh.map((e) => ({
    source: IMPORT_SOURCE,
    cursor: { validity: 'import', last: ++last },
    fingerprint: e.source.fingerprint,
    event: e,
    alert: alertOf.get(e.id) ?? null,
  }));

  // Settings: one not set here is written; one set here to another value is kept (and said), as a case is.
  const settings: TransferWrite['settings'] = [];
  const kept: string[] = [];
  let sameSettings = 0;
  for (const [key, value] of Object.entries(doc.settings ?? {})) {
    const forCase = CASE_KEY.exec(key)?.[2];
    if (forCase !== undefined && conflicts.includes(forCase)) continue;
    const here = await store.getSetting(key);
    if (here === value) sameSettings++;
    else if (here) kept.push(key);
    else settings.push({ key, value });
  }

  const written = await store.applyTransfer({
    ledger: {
      file: doc.scope.kind === 'case' ? `mamori-transfer:${doc.scope.caseId}` : 'mamori-transfer',
      kind: 'mamori-transfer',
      records: doc.ledger,
    },
    cases: plans.filter((p) => p.create).map((p) => p.c.case),
    events: plans.flatMap((p) => p.newEvents.map((event) => ({ caseId: p.c.case.id, event }))),
    watch,
    settings,
  });
  return {
    ledger: written.ledger,
    cases: {
      added: plans.filter((p) => p.create).length,
      unchanged: unchangedCases,
      events: plans.reduce((n, p) => n + p.newEvents.length, 0),
    },
    conflicts,
    watch: { added: written.watchAdded, unchanged: doc.watch.events.length - written.watchAdded },
    settings: { added: settings.length, unchanged: sameSettings, kept },
  };
}

/** Whether the start of a file is a mamori transfer document (so `mamori import` can tell it from a ledger). */
export function looksLikeTransfer(head: string): boolean {
  return /^\s*\{[\s\S]{0,200}"format"\s*:\s*"mamori-transfer"/.test(head.replace(/^\uFEFF/, ''));
}
