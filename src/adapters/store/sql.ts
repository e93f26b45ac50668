// The store's schema and queries, written once for every SQLite the project runs on: better-sqlite3 on disk
// (`store.ts`) and SQLite-WASM in a browser worker (`#adapters/browser-store`). Each adapter gives a
// `SqlConnection` and says how a write transaction is begun and made durable; everything else — the schema, the
// staging of an import, natural-key idempotence, the order things come back in — is here, so the two cannot drift.
import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import { orderHistoryFrom, type OrderHistory } from '#core/check/orders.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type {
  ImportCount,
  RecordSink,
  Store as StorePort,
  StoreCounts,
  StoredLedger,
  TransferWrite,
  TransferWritten,
} from '#core/ports/store.ts';
import type { WatchAlert, WatchCursor, WatchEvent, WatchRecord } from '#core/ports/watch.ts';

export const SCHEMA_VERSION = 3;
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS imports (id INTEGER PRIMARY KEY, at TEXT NOT NULL, file TEXT NOT NULL, kind TEXT NOT NULL, added INTEGER NOT NULL, unchanged INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS order_lines (key TEXT PRIMARY KEY, order_id TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE INDEX IF NOT EXISTS order_lines_order ON order_lines(order_id);
CREATE TABLE IF NOT EXISTS order_payments (key TEXT PRIMARY KEY, order_id TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE TABLE IF NOT EXISTS refunds (key TEXT PRIMARY KEY, order_id TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE TABLE IF NOT EXISTS charges (key TEXT PRIMARY KEY, date TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, created TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS case_events (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), at TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_cursors (source TEXT PRIMARY KEY, validity TEXT NOT NULL, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS watch_seen (fingerprint TEXT PRIMARY KEY, source TEXT NOT NULL, uid TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_events (id TEXT PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, at TEXT NOT NULL, data TEXT NOT NULL, shown INTEGER NOT NULL DEFAULT 0, dismissed INTEGER NOT NULL DEFAULT 0);
PRAGMA user_version = ${SCHEMA_VERSION};
`;

// Records of an import are staged in the connection's TEMP database (not the store), so the store's write lock is
// held only for the final merge, never while a 100 MB export is being parsed.
export const STAGE = ['order_lines', 'order_payments', 'refunds', 'charges'] as const;
export type StageTable = (typeof STAGE)[number];
export const STAGE_SCHEMA = `
CREATE TEMP TABLE IF NOT EXISTS stage_order_lines (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_order_payments (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_refunds (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_charges (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
`;
const SECOND_COLUMN: Record<StageTable, string> = {
  order_lines: 'order_id',
  order_payments: 'order_id',
  refunds: 'order_id',
  charges: 'date',
};

/** Every statement the store runs, by name (the same text on every SQLite). */
export const SQL = {
  tables: "SELECT name FROM sqlite_master WHERE type = 'table'",
  userVersion: 'PRAGMA user_version',
  stage: (t: StageTable) => `INSERT OR IGNORE INTO temp.stage_${t} (key, k2, data) VALUES (?, ?, ?)`,
  clearStage: (t: StageTable) => `DELETE FROM temp.stage_${t}`,
  newImport: 'INSERT INTO imports (at, file, kind, added, unchanged) VALUES (?, ?, ?, 0, 0) RETURNING id',
  merge: (t: StageTable) =>
    `INSERT OR IGNORE INTO main.${t} (key, ${SECOND_COLUMN[t]}, data, import_id) SELECT key, k2, data, ? FROM temp.stage_${t} ORDER BY seq`,
  importCounted: 'UPDATE imports SET added = ?, unchanged = ? WHERE id = ?',
  dropImport: 'DELETE FROM imports WHERE id = ?',
  insert: (t: StageTable) =>
    `INSERT OR IGNORE INTO main.${t} (key, ${SECOND_COLUMN[t]}, data, import_id) VALUES (?, ?, ?, ?)`,
  lines: 'SELECT data FROM order_lines ORDER BY rowid',
  payments: 'SELECT data FROM order_payments ORDER BY rowid',
  refunds: 'SELECT data FROM refunds ORDER BY rowid',
  charges: 'SELECT data FROM charges ORDER BY date, rowid',
  countLines: 'SELECT COUNT(*) FROM order_lines',
  countOrders: 'SELECT COUNT(DISTINCT order_id) FROM order_lines',
  countCharges: 'SELECT COUNT(*) FROM charges',
  countRefunds: 'SELECT COUNT(*) FROM refunds',
  countImports: 'SELECT COUNT(*) FROM imports',
  orderIds: 'SELECT DISTINCT order_id FROM order_lines UNION SELECT DISTINCT order_id FROM order_payments',
  orderRange:
    "SELECT MIN(json_extract(data, '$.orderAt')), MAX(json_extract(data, '$.orderAt')) FROM order_lines",
  createCase: 'INSERT INTO cases (id, created, data) VALUES (?, ?, ?)',
  saveCase: 'UPDATE cases SET data = ? WHERE id = ?',
  getCase: 'SELECT data FROM cases WHERE id = ?',
  caseIds: 'SELECT id FROM cases ORDER BY created, id',
  cases: 'SELECT data FROM cases ORDER BY created, id',
  caseExists: 'SELECT 1 FROM cases WHERE id = ?',
  addEvent: 'INSERT INTO case_events (case_id, at, kind, data) VALUES (?, ?, ?, ?)',
  events: 'SELECT data FROM case_events WHERE case_id = ? ORDER BY at, id',
  cursor: 'SELECT validity, last FROM watch_cursors WHERE source = ?',
  putCursor:
    'INSERT INTO watch_cursors (source, validity, last) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET validity = excluded.validity, last = excluded.last',
  seen: 'SELECT 1 FROM watch_seen WHERE fingerprint = ?',
  markSeen: 'INSERT OR IGNORE INTO watch_seen (fingerprint, source, uid, at) VALUES (?, ?, ?, ?)',
  watchEvent: 'INSERT OR IGNORE INTO watch_events (id, at, kind, data) VALUES (?, ?, ?, ?)',
  alert: 'INSERT OR IGNORE INTO alerts (id, at, data) VALUES (?, ?, ?)',
  alertWithFlags: 'INSERT OR IGNORE INTO alerts (id, at, data, shown, dismissed) VALUES (?, ?, ?, ?, ?)',
  watchEvents: 'SELECT data FROM watch_events ORDER BY rowid',
  alerts: 'SELECT data, shown, dismissed FROM alerts WHERE dismissed = 0 ORDER BY rowid',
  allAlerts: 'SELECT data, shown, dismissed FROM alerts ORDER BY rowid',
  alertShown: 'UPDATE alerts SET shown = 1 WHERE id = ?',
  dismissAlert: 'UPDATE alerts SET dismissed = 1 WHERE id = ?',
  getSetting: 'SELECT value FROM settings WHERE key = ?',
  setSetting:
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
} as const;

export type SqlParam = string | number | null;

/** A statement prepared once and run many times (the staging inserts); `finalize` frees it. */
export interface SqlStatement {
  run(...params: SqlParam[]): void;
  finalize(): void;
}

/** The little an adapter's SQLite has to offer. Values come back as SQLite gives them (text, numbers, null). */
export interface SqlConnection {
  exec(sql: string): void;
  /** Runs one statement; the number of rows it changed. */
  run(sql: string, ...params: SqlParam[]): number;
  /** The first row, as an array, or undefined. */
  row(sql: string, ...params: SqlParam[]): unknown[] | undefined;
  /** Every row, as arrays. */
  rows(sql: string, ...params: SqlParam[]): unknown[][];
  prepare(sql: string): SqlStatement;
  readonly inTransaction: boolean;
}

/** Creates or upgrades the schema when the file is new or older (opening an up-to-date one writes nothing). */
export function migrate(conn: SqlConnection, beforeSchema?: () => void): void {
  if (Number(conn.row(SQL.userVersion)?.[0] ?? 0) < SCHEMA_VERSION) {
    beforeSchema?.();
    conn.exec(SCHEMA);
  }
}

class NothingAdded {
  constructor(readonly unchanged: number) {}
}

/**
 * The Store port over any `SqlConnection`. Writes are queued one behind the other in this connection (an import's
 * records are parsed while the merge of another waits, never interleaved with it); reads never wait.
 */
export abstract class SqlStore implements StorePort {
  abstract readonly location: string;
  protected tables = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  protected constructor(protected readonly conn: SqlConnection) {}

  /** Runs `fn` as one write transaction (`BEGIN IMMEDIATE` … `COMMIT`, rolled back if it throws), durably. */
  protected abstract transact<T>(fn: () => T): Promise<T>;

  protected refreshTables(): void {
    this.tables = new Set(this.column<string>(SQL.tables));
  }

  /** Runs `fn` after every write queued before it. */
  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  protected write<T>(fn: () => T): Promise<T> {
    return this.serial(() => this.transact(fn));
  }

  private column<T>(sql: string, ...params: SqlParam[]): T[] {
    return this.conn.rows(sql, ...params).map((r) => r[0] as T);
  }

  private has(table: string): boolean {
    return this.tables.has(table);
  }

  private all<T>(table: string, sql: string, ...params: SqlParam[]): T[] {
    if (!this.has(table)) return [];
    return this.column<string>(sql, ...params).map((d) => JSON.parse(d) as T);
  }

  importFile(file: string, kind: string, fill: (sink: RecordSink) => Promise<void>): Promise<ImportCount> {
    return this.serial(() => this.importNow(file, kind, fill));
  }

  private async importNow(
    file: string,
    kind: string,
    fill: (sink: RecordSink) => Promise<void>,
  ): Promise<ImportCount> {
    const conn = this.conn;
    conn.exec(STAGE_SCHEMA);
    const clear = () => {
      for (const t of STAGE) conn.exec(SQL.clearStage(t));
    };
    clear();
    const stage = Object.fromEntries(STAGE.map((t) => [t, conn.prepare(SQL.stage(t))])) as Record<
      StageTable,
      SqlStatement
    >;
    let seen = 0;
    try {
      conn.exec('BEGIN');
      try {
        await fill({
          line: (l: OrderLine) => (seen++, stage.order_lines.run(l.key, l.orderId, JSON.stringify(l))),
          payment: (p: OrderPayment) => (
            seen++,
            stage.order_payments.run(p.key, p.orderId, JSON.stringify(p))
          ),
          refund: (r: Refund) => (seen++, stage.refunds.run(r.key, r.orderId, JSON.stringify(r))),
          charge: (c: CardCharge) => (seen++, stage.charges.run(c.key, c.date, JSON.stringify(c))),
        });
        conn.exec('COMMIT');
      } catch (err) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        clear();
        throw err;
      }
    } finally {
      for (const t of STAGE) stage[t].finalize();
    }
    try {
      return await this.transact(() => {
        const importId = Number(conn.row(SQL.newImport, new Date().toISOString(), file, kind)![0]);
        let added = 0;
        for (const t of STAGE) added += conn.run(SQL.merge(t), importId);
        const unchanged = seen - added;
        if (added === 0) throw new NothingAdded(unchanged);
        conn.run(SQL.importCounted, added, unchanged, importId);
        return { added, unchanged };
      });
    } catch (err) {
      if (err instanceof NothingAdded) return { added: 0, unchanged: err.unchanged };
      throw err;
    } finally {
      // A write that could not be kept may have replaced the connection's database (the browser store rolls back
      // to its stored copy), taking the TEMP tables with it.
      conn.exec(STAGE_SCHEMA);
      clear();
    }
  }

  load(): StoredLedger {
    return {
      lines: this.all<OrderLine>('order_lines', SQL.lines),
      payments: this.all<OrderPayment>('order_payments', SQL.payments),
      refunds: this.all<Refund>('refunds', SQL.refunds),
      charges: this.all<CardCharge>('charges', SQL.charges),
    };
  }

  counts(): StoreCounts {
    const one = (table: string, sql: string) => (this.has(table) ? Number(this.conn.row(sql)![0]) : 0);
    return {
      lines: one('order_lines', SQL.countLines),
      orders: one('order_lines', SQL.countOrders),
      charges: one('charges', SQL.countCharges),
      refunds: one('refunds', SQL.countRefunds),
      imports: one('imports', SQL.countImports),
    };
  }

  orderHistory(): OrderHistory {
    const { ids, coverage } = this.orderHistoryData();
    return orderHistoryFrom(ids, coverage);
  }

  /** The order history as plain data (it crosses a Worker's `postMessage`; `orderHistoryFrom` rebuilds it). */
  orderHistoryData(): { ids: string[]; coverage: { from: string; to: string } | null } {
    if (!this.has('order_lines') || !this.has('order_payments')) return { ids: [], coverage: null };
    const ids = this.column<string>(SQL.orderIds);
    const range = this.conn.row(SQL.orderRange) as [string | null, string | null];
    return {
      ids,
      coverage: range[0] && range[1] ? { from: range[0].slice(0, 10), to: range[1].slice(0, 10) } : null,
    };
  }

  createCase(c: CaseRecord): Promise<void> {
    return this.write(() => {
      this.conn.run(SQL.createCase, c.id, c.created, JSON.stringify(c));
    });
  }

  saveCase(c: CaseRecord): Promise<void> {
    return this.write(() => {
      if (this.conn.run(SQL.saveCase, JSON.stringify(c), c.id) !== 1)
        throw new Error(`case ${c.id} does not exist`);
    });
  }

  getCase(id: string): CaseRecord | null {
    if (!this.has('cases')) return null;
    const d = this.conn.row(SQL.getCase, id)?.[0] as string | undefined;
    return d ? (JSON.parse(d) as CaseRecord) : null;
  }

  caseIds(): string[] {
    if (!this.has('cases')) return [];
    return this.column<string>(SQL.caseIds);
  }

  listCases(): CaseRecord[] {
    return this.all<CaseRecord>('cases', SQL.cases);
  }

  addEvent(caseId: string, e: CaseEvent): Promise<void> {
    return this.write(() => {
      // The foreign key refuses it too where it is enforced; this says which case.
      if (!this.conn.row(SQL.caseExists, caseId)) throw new Error(`case ${caseId} does not exist`);
      this.conn.run(SQL.addEvent, caseId, e.at, e.kind, JSON.stringify(e));
    });
  }

  events(caseId: string): CaseEvent[] {
    return this.all<CaseEvent>('case_events', SQL.events, caseId);
  }

  watchCursor(source: string): WatchCursor | null {
    if (!this.has('watch_cursors')) return null;
    const r = this.conn.row(SQL.cursor, source) as [string, number] | undefined;
    return r ? { validity: r[0], last: Number(r[1]) } : null;
  }

  private putCursor(source: string, c: WatchCursor): void {
    this.conn.run(SQL.putCursor, source, c.validity, c.last);
  }

  setWatchCursor(source: string, cursor: WatchCursor): Promise<void> {
    return this.write(() => this.putCursor(source, cursor));
  }

  watchSeen(fingerprint: string): boolean {
    if (!this.has('watch_seen')) return false;
    return this.conn.row(SQL.seen, fingerprint) !== undefined;
  }

  recordWatched(r: WatchRecord): Promise<boolean> {
    return this.write(() => {
      this.putCursor(r.source, r.cursor);
      const fresh =
        this.conn.run(SQL.markSeen, r.fingerprint, r.source, r.event.source.uid, r.event.at) === 1;
      if (!fresh) return false;
      this.conn.run(SQL.watchEvent, r.event.id, r.event.at, r.event.kind, JSON.stringify(r.event));
      if (r.alert) this.conn.run(SQL.alert, r.alert.id, r.alert.at, JSON.stringify(r.alert));
      return true;
    });
  }

  watchEvents(): WatchEvent[] {
    return this.all<WatchEvent>('watch_events', SQL.watchEvents);
  }

  alerts(opts: { all?: boolean } = {}): WatchAlert[] {
    if (!this.has('alerts')) return [];
    return this.conn.rows(opts.all ? SQL.allAlerts : SQL.alerts).map(([data, shown, dismissed]) => ({
      ...(JSON.parse(data as string) as WatchAlert),
      shown: Number(shown) === 1,
      dismissed: Number(dismissed) === 1,
    }));
  }

  markAlertsShown(ids: readonly string[]): Promise<void> {
    return this.write(() => {
      for (const id of ids) this.conn.run(SQL.alertShown, id);
    });
  }

  dismissAlert(id: string): Promise<boolean> {
    return this.write(() => this.conn.run(SQL.dismissAlert, id) === 1);
  }

  applyTransfer(w: TransferWrite): Promise<TransferWritten> {
    return this.write(() => {
      const conn = this.conn;
      const { lines, payments, refunds, charges } = w.ledger.records;
      const total = lines.length + payments.length + refunds.length + charges.length;
      let ledger = { added: 0, unchanged: 0 };
      if (total > 0) {
        const id = Number(
          conn.row(SQL.newImport, new Date().toISOString(), w.ledger.file, w.ledger.kind)![0],
        );
        let added = 0;
        for (const l of lines)
          added += conn.run(SQL.insert('order_lines'), l.key, l.orderId, JSON.stringify(l), id);
        for (const p of payments)
          added += conn.run(SQL.insert('order_payments'), p.key, p.orderId, JSON.stringify(p), id);
        for (const r of refunds)
          added += conn.run(SQL.insert('refunds'), r.key, r.orderId, JSON.stringify(r), id);
        for (const c of charges)
          added += conn.run(SQL.insert('charges'), c.key, c.date, JSON.stringify(c), id);
        // As `importFile`: an import that added nothing leaves no trace.
        if (added > 0) conn.run(SQL.importCounted, added, total - added, id);
        else conn.run(SQL.dropImport, id);
        ledger = { added, unchanged: total - added };
      }
      for (const c of w.cases) conn.run(SQL.createCase, c.id, c.created, JSON.stringify(c));
      for (const { caseId, event } of w.events) {
        if (!conn.row(SQL.caseExists, caseId)) throw new Error(`case ${caseId} does not exist`);
        conn.run(SQL.addEvent, caseId, event.at, event.kind, JSON.stringify(event));
      }
      let watchAdded = 0;
      for (const r of w.watch) {
        this.putCursor(r.source, r.cursor);
        if (conn.run(SQL.markSeen, r.fingerprint, r.source, r.event.source.uid, r.event.at) !== 1) continue;
        conn.run(SQL.watchEvent, r.event.id, r.event.at, r.event.kind, JSON.stringify(r.event));
        const a = r.alert;
        if (a)
          conn.run(SQL.alertWithFlags, a.id, a.at, JSON.stringify(a), a.shown ? 1 : 0, a.dismissed ? 1 : 0);
        watchAdded++;
      }
      for (const { key, value } of w.settings) conn.run(SQL.setSetting, key, value);
      return { ledger, watchAdded };
    });
  }

  getSetting(key: string): string | null {
    if (!this.has('settings')) return null;
    const v = this.conn.row(SQL.getSetting, key)?.[0] as string | undefined;
    return v ?? null;
  }

  setSetting(key: string, value: string): Promise<void> {
    return this.write(() => {
      this.conn.run(SQL.setSetting, key, value);
    });
  }

  abstract close(): void;
}
