import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import { orderHistoryFrom, type OrderHistory } from '#core/check/orders.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type {
  ImportCount,
  RecordSink,
  Store,
  StoreCounts,
  StoredLedger,
  TransferWrite,
  TransferWritten,
} from '#core/ports/store.ts';
import type { WatchAlert, WatchCursor, WatchEvent, WatchRecord } from '#core/ports/watch.ts';

/**
 * Records are copied in and out, so a caller mutating what it got never changes what is stored. Records are plain
 * data (objects, arrays, strings, numbers, null), copied here by hand: structuredClone costs several times more,
 * and a reconcile copies every order and charge twice. Anything else still goes through structuredClone.
 */
function copy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copy) as T;
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  // Most fields are strings and numbers: taken as they are, without a call each.
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    out[k] = x === null || typeof x !== 'object' ? x : copy(x);
  }
  return out as T;
}

/**
 * The Store kept in memory: `reconcile` with files (nothing is stored), `check --orders FILE`, tests, and the
 * browser. Same behaviour as the SQLite store (`test/store/contract.ts`).
 */
export class MemoryStore implements Store {
  readonly location = ':memory:';
  private readonly keep: <T>(v: T) => T;

  /**
   * `{ copies: false }`: records are kept and handed out as they are, not copied. Only for a store its owner fills,
   * reads once and drops (reconciling given files): nobody else holds what it hands out. Copying 70,000 orders
   * and charges in and out again was most of the store's share of `reconcile`'s time.
   */
  constructor(opts: { copies?: boolean } = {}) {
    this.keep = opts.copies === false ? (v) => v : copy;
  }

  private lines = new Map<string, OrderLine>();
  private payments = new Map<string, OrderPayment>();
  private refunds = new Map<string, Refund>();
  private charges = new Map<string, CardCharge>();
  private imports = 0;
  private cases = new Map<string, CaseRecord>();
  private caseEvents = new Map<string, CaseEvent[]>();
  private settings = new Map<string, string>();
  private cursors = new Map<string, WatchCursor>();
  private seen = new Set<string>();
  private watched = new Map<string, WatchEvent>();
  private alertList = new Map<string, WatchAlert>();

  async importFile(
    _file: string,
    _kind: string,
    fill: (sink: RecordSink) => Promise<void>,
  ): Promise<ImportCount> {
    // Staged apart and merged only when fill succeeds: a failure half-way leaves nothing behind.
    const stage = {
      lines: new Map<string, OrderLine>(),
      payments: new Map<string, OrderPayment>(),
      refunds: new Map<string, Refund>(),
      charges: new Map<string, CardCharge>(),
    };
    let seen = 0;
    const put = <T extends { key: string }>(m: Map<string, T>, v: T) => {
      seen++;
      if (!m.has(v.key)) m.set(v.key, this.keep(v));
    };
    await fill({
      line: (l) => put(stage.lines, l),
      payment: (p) => put(stage.payments, p),
      refund: (r) => put(stage.refunds, r),
      charge: (c) => put(stage.charges, c),
    });
    let added = 0;
    const merge = <T>(into: Map<string, T>, from: Map<string, T>) => {
      for (const [k, v] of from)
        if (!into.has(k)) {
          into.set(k, v);
          added++;
        }
    };
    merge(this.lines, stage.lines);
    merge(this.payments, stage.payments);
    merge(this.refunds, stage.refunds);
    merge(this.charges, stage.charges);
    if (added > 0) this.imports++;
    return { added, unchanged: seen - added };
  }

  load(): StoredLedger {
    const charges = [...this.charges.values()].map(this.keep);
    // Stable sort: equal dates keep import order, as the SQLite store's ORDER BY date, rowid.
    charges.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return {
      lines: [...this.lines.values()].map(this.keep),
      payments: [...this.payments.values()].map(this.keep),
      refunds: [...this.refunds.values()].map(this.keep),
      charges,
    };
  }

  counts(): StoreCounts {
    return {
      lines: this.lines.size,
      orders: new Set([...this.lines.values()].map((l) => l.orderId)).size,
      charges: this.charges.size,
      refunds: this.refunds.size,
      imports: this.imports,
    };
  }

  orderHistory(): OrderHistory {
    const ids = new Set<string>();
    let from: string | null = null;
    let to: string | null = null;
    for (const l of this.lines.values()) {
      ids.add(l.orderId);
      if (from === null || l.orderAt < from) from = l.orderAt;
      if (to === null || l.orderAt > to) to = l.orderAt;
    }
    for (const p of this.payments.values()) ids.add(p.orderId);
    return orderHistoryFrom(ids, from && to ? { from: from.slice(0, 10), to: to.slice(0, 10) } : null);
  }

  createCase(c: CaseRecord): void {
    if (this.cases.has(c.id)) throw new Error(`case ${c.id} already exists`);
    this.cases.set(c.id, copy(c));
  }

  saveCase(c: CaseRecord): void {
    if (!this.cases.has(c.id)) throw new Error(`case ${c.id} does not exist`);
    this.cases.set(c.id, copy(c));
  }

  getCase(id: string): CaseRecord | null {
    const c = this.cases.get(id);
    return c ? copy(c) : null;
  }

  private ordered(): CaseRecord[] {
    return [...this.cases.values()].sort((a, b) =>
      a.created !== b.created ? (a.created < b.created ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
  }

  caseIds(): string[] {
    return this.ordered().map((c) => c.id);
  }

  listCases(): CaseRecord[] {
    return this.ordered().map(copy);
  }

  addEvent(caseId: string, e: CaseEvent): void {
    if (!this.cases.has(caseId)) throw new Error(`case ${caseId} does not exist`);
    const list = this.caseEvents.get(caseId) ?? [];
    list.push(copy(e));
    this.caseEvents.set(caseId, list);
  }

  events(caseId: string): CaseEvent[] {
    return [...(this.caseEvents.get(caseId) ?? [])]
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .map(copy);
  }

  watchCursor(source: string): WatchCursor | null {
    const c = this.cursors.get(source);
    return c ? copy(c) : null;
  }

  setWatchCursor(source: string, cursor: WatchCursor): void {
    this.cursors.set(source, copy(cursor));
  }

  watchSeen(fingerprint: string): boolean {
    return this.seen.has(fingerprint);
  }

  recordWatched(r: WatchRecord): boolean {
    this.cursors.set(r.source, copy(r.cursor));
    if (this.seen.has(r.fingerprint)) return false;
    this.seen.add(r.fingerprint);
    if (!this.watched.has(r.event.id)) this.watched.set(r.event.id, copy(r.event));
    if (r.alert && !this.alertList.has(r.alert.id)) this.alertList.set(r.alert.id, copy(r.alert));
    return true;
  }

  watchEvents(): WatchEvent[] {
    return [...this.watched.values()].map(copy);
  }

  alerts(opts: { all?: boolean } = {}): WatchAlert[] {
    return [...this.alertList.values()].filter((a) => opts.all || !a.dismissed).map(copy);
  }

  markAlertsShown(ids: readonly string[]): void {
    for (const id of ids) {
      const a = this.alertList.get(id);
      if (a) a.shown = true;
    }
  }

  dismissAlert(id: string): boolean {
    const a = this.alertList.get(id);
    if (!a) return false;
    a.dismissed = true;
    return true;
  }

  async applyTransfer(w: TransferWrite): Promise<TransferWritten> {
    // All or nothing: every map as it was, put back if any write throws (the maps hold copies, never mutated
    // in place here, so shallow copies are the whole state).
    const keep = {
      lines: new Map(this.lines),
      payments: new Map(this.payments),
      refunds: new Map(this.refunds),
      charges: new Map(this.charges),
      imports: this.imports,
      cases: new Map(this.cases),
      caseEvents: new Map([...this.caseEvents].map(([k, v]) => [k, [...v]])),
      settings: new Map(this.settings),
      cursors: new Map(this.cursors),
      seen: new Set(this.seen),
      watched: new Map(this.watched),
      alertList: new Map(this.alertList),
    };
    try {
      const { lines, payments, refunds, charges } = w.ledger.records;
      const ledger = await this.importFile(w.ledger.file, w.ledger.kind, async (sink) => {
        for (const l of lines) sink.line(l);
        for (const p of payments) sink.payment(p);
        for (const r of refunds) sink.refund(r);
        for (const c of charges) sink.charge(c);
      });
      for (const c of w.cases) this.createCase(c);
      for (const { caseId, event } of w.events) this.addEvent(caseId, event);
      let watchAdded = 0;
      for (const r of w.watch) if (this.recordWatched(r)) watchAdded++;
      for (const { key, value } of w.settings) this.setSetting(key, value);
      return { ledger, watchAdded };
    } catch (err) {
      Object.assign(this, keep);
      throw err;
    }
  }

  getSetting(key: string): string | null {
    return this.settings.get(key) ?? null;
  }

  setSetting(key: string, value: string): void {
    this.settings.set(key, value);
  }

  close(): void {}
}
