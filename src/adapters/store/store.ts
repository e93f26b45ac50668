import { existsSync, mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import { orderHistoryFrom, type OrderHistory } from '#core/check/orders.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type {
  ImportCount,
  RecordSink,
  Store as StorePort,
  StoreCounts,
  StoredLedger,
} from '#core/ports/store.ts';
import type { WatchAlert, WatchCursor, WatchEvent, WatchRecord } from '#core/ports/watch.ts';
import { MemoryStore } from '#core/store/memory-store.ts';

export type { RecordSink, StoredLedger } from '#core/ports/store.ts';

/** Where mamori keeps its data: MAMORI_HOME, else the platform's per-user data folder. */
export function mamoriHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAMORI_HOME) return env.MAMORI_HOME;
  const home = homedir();
  if (platform() === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'mamori');
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'mamori');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'mamori');
}

export const storeFile = (home = mamoriHome()) => join(home, 'mamori.db');

const VERSION = 3;
const SCHEMA = `
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
PRAGMA user_version = ${VERSION};
`;

// Records of an import are staged in this connection's TEMP database (a temporary file, not the store), so the
// store's write lock is held only for the final merge, never while a 100 MB export is being parsed.
const STAGE = ['order_lines', 'order_payments', 'refunds', 'charges'] as const;
const STAGE_SCHEMA = `
CREATE TEMP TABLE IF NOT EXISTS stage_order_lines (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_order_payments (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_refunds (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_charges (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, k2 TEXT NOT NULL, data TEXT NOT NULL);
`;
const SECOND_COLUMN: Record<(typeof STAGE)[number], string> = {
  order_lines: 'order_id',
  order_payments: 'order_id',
  refunds: 'order_id',
  charges: 'date',
};

/** The store stayed locked by another writer for longer than anyone should wait. */
export class StoreBusyError extends Error {}

export interface SqliteStoreOptions {
  /** Open without writing anything, not even the schema. */
  readonly?: boolean;
  /** Called once when a write has to wait for another process's write (so the person is told, not left staring). */
  onBusy?: () => void;
  /** How long a write waits for the lock before giving up (ms). */
  maxWaitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isBusy = (e: unknown) =>
  e instanceof Error && /^SQLITE_(BUSY|LOCKED)/.test((e as { code?: string }).code ?? '');

/** The SQLite store: one file, WAL (readers never wait for a writer), writers queue behind each other. */
export class SqliteStore implements StorePort {
  readonly db: Database.Database;
  readonly location: string;
  private readonly readonly: boolean;
  private readonly tables: Set<string>;
  private readonly onBusy: (() => void) | undefined;
  private readonly maxWaitMs: number;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.location = path;
    this.readonly = opts.readonly === true;
    this.onBusy = opts.onBusy;
    this.maxWaitMs = opts.maxWaitMs ?? 15 * 60_000;
    this.db = new Database(path, {
      readonly: this.readonly,
      fileMustExist: this.readonly,
      timeout: 5000,
    });
    if (!this.readonly) {
      this.db.pragma('foreign_keys = ON');
      // Only a new or older store is written to here: opening an up-to-date one never takes the write lock.
      if (Number(this.db.pragma('user_version', { simple: true })) < VERSION) {
        if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
        this.db.exec(SCHEMA);
      }
    }
    this.tables = new Set(
      this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
    );
  }

  /** The store for commands that write (import, case …), created if missing. */
  static open(home = mamoriHome(), opts: Omit<SqliteStoreOptions, 'readonly'> = {}): SqliteStore {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    return new SqliteStore(storeFile(home), opts);
  }

  /**
   * The store for commands that only read (check, case list/show, reconcile, report): opened read-only, the
   * schema never written; a store that does not exist yet reads as empty.
   */
  static openReadOnly(home = mamoriHome()): StorePort {
    const path = storeFile(home);
    if (!existsSync(path)) return new MemoryStore();
    return new SqliteStore(path, { readonly: true });
  }

  static memory(): SqliteStore {
    return new SqliteStore(':memory:');
  }

  /** Runs `fn` in a write transaction, waiting (and saying so once) while another process writes. */
  private async write<T>(fn: () => T): Promise<T> {
    if (this.readonly) throw new Error('the store was opened read-only');
    const db = this.db;
    const started = Date.now();
    let told = false;
    db.pragma('busy_timeout = 300');
    try {
      for (;;) {
        try {
          db.exec('BEGIN IMMEDIATE');
          break;
        } catch (e) {
          if (!isBusy(e)) throw e;
          if (!told) {
            told = true;
            this.onBusy?.();
          }
          if (Date.now() - started > this.maxWaitMs) throw new StoreBusyError('the store stayed locked');
          await sleep(200);
        }
      }
    } finally {
      db.pragma('busy_timeout = 5000');
    }
    try {
      const r = fn();
      db.exec('COMMIT');
      return r;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  async importFile(
    file: string,
    kind: string,
    fill: (sink: RecordSink) => Promise<void>,
  ): Promise<ImportCount> {
    const db = this.db;
    db.exec(STAGE_SCHEMA);
    const clear = () => {
      for (const t of STAGE) db.exec(`DELETE FROM temp.stage_${t}`);
    };
    clear();
    const stage = Object.fromEntries(
      STAGE.map((t) => [
        t,
        db.prepare(`INSERT OR IGNORE INTO temp.stage_${t} (key, k2, data) VALUES (?, ?, ?)`),
      ]),
    ) as Record<(typeof STAGE)[number], Database.Statement>;
    let seen = 0;
    db.exec('BEGIN');
    try {
      await fill({
        line: (l) => (seen++, stage.order_lines.run(l.key, l.orderId, JSON.stringify(l))),
        payment: (p) => (seen++, stage.order_payments.run(p.key, p.orderId, JSON.stringify(p))),
        refund: (r) => (seen++, stage.refunds.run(r.key, r.orderId, JSON.stringify(r))),
        charge: (c) => (seen++, stage.charges.run(c.key, c.date, JSON.stringify(c))),
      });
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      clear();
      throw err;
    }
    try {
      return await this.write(() => {
        const importId = Number(
          db
            .prepare('INSERT INTO imports (at, file, kind, added, unchanged) VALUES (?, ?, ?, 0, 0)')
            .run(new Date().toISOString(), file, kind).lastInsertRowid,
        );
        let added = 0;
        for (const t of STAGE)
          added += db
            .prepare(
              `INSERT OR IGNORE INTO main.${t} (key, ${SECOND_COLUMN[t]}, data, import_id) SELECT key, k2, data, ? FROM temp.stage_${t} ORDER BY seq`,
            )
            .run(importId).changes;
        const unchanged = seen - added;
        if (added === 0) throw new NothingAdded(unchanged);
        db.prepare('UPDATE imports SET added = ?, unchanged = ? WHERE id = ?').run(
          added,
          unchanged,
          importId,
        );
        return { added, unchanged };
      });
    } catch (err) {
      if (err instanceof NothingAdded) return { added: 0, unchanged: err.unchanged };
      throw err;
    } finally {
      clear();
    }
  }

  private has(table: string): boolean {
    return this.tables.has(table);
  }

  private all<T>(table: string, sql: string, ...params: unknown[]): T[] {
    if (!this.has(table)) return [];
    return (
      this.db
        .prepare(sql)
        .pluck()
        .all(...params) as string[]
    ).map((d) => JSON.parse(d) as T);
  }

  load(): StoredLedger {
    return {
      lines: this.all<OrderLine>('order_lines', 'SELECT data FROM order_lines ORDER BY rowid'),
      payments: this.all<OrderPayment>('order_payments', 'SELECT data FROM order_payments ORDER BY rowid'),
      refunds: this.all<Refund>('refunds', 'SELECT data FROM refunds ORDER BY rowid'),
      charges: this.all<CardCharge>('charges', 'SELECT data FROM charges ORDER BY date, rowid'),
    };
  }

  counts(): StoreCounts {
    const one = (table: string, sql: string) =>
      this.has(table) ? Number(this.db.prepare(sql).pluck().get()) : 0;
    return {
      lines: one('order_lines', 'SELECT COUNT(*) FROM order_lines'),
      orders: one('order_lines', 'SELECT COUNT(DISTINCT order_id) FROM order_lines'),
      charges: one('charges', 'SELECT COUNT(*) FROM charges'),
      refunds: one('refunds', 'SELECT COUNT(*) FROM refunds'),
      imports: one('imports', 'SELECT COUNT(*) FROM imports'),
    };
  }

  orderHistory(): OrderHistory {
    if (!this.has('order_lines') || !this.has('order_payments')) return orderHistoryFrom([]);
    const ids = this.db
      .prepare('SELECT DISTINCT order_id FROM order_lines UNION SELECT DISTINCT order_id FROM order_payments')
      .pluck()
      .all() as string[];
    const range = this.db
      .prepare(
        "SELECT MIN(json_extract(data, '$.orderAt')), MAX(json_extract(data, '$.orderAt')) FROM order_lines",
      )
      .raw()
      .get() as [string | null, string | null];
    return orderHistoryFrom(
      ids,
      range[0] && range[1] ? { from: range[0].slice(0, 10), to: range[1].slice(0, 10) } : null,
    );
  }

  createCase(c: CaseRecord): Promise<void> {
    return this.write(() => {
      this.db
        .prepare('INSERT INTO cases (id, created, data) VALUES (?, ?, ?)')
        .run(c.id, c.created, JSON.stringify(c));
    });
  }

  saveCase(c: CaseRecord): Promise<void> {
    return this.write(() => {
      const r = this.db.prepare('UPDATE cases SET data = ? WHERE id = ?').run(JSON.stringify(c), c.id);
      if (r.changes !== 1) throw new Error(`case ${c.id} does not exist`);
    });
  }

  getCase(id: string): CaseRecord | null {
    if (!this.has('cases')) return null;
    const d = this.db.prepare('SELECT data FROM cases WHERE id = ?').pluck().get(id) as string | undefined;
    return d ? (JSON.parse(d) as CaseRecord) : null;
  }

  caseIds(): string[] {
    if (!this.has('cases')) return [];
    return this.db.prepare('SELECT id FROM cases ORDER BY created, id').pluck().all() as string[];
  }

  listCases(): CaseRecord[] {
    return this.all<CaseRecord>('cases', 'SELECT data FROM cases ORDER BY created, id');
  }

  addEvent(caseId: string, e: CaseEvent): Promise<void> {
    return this.write(() => {
      this.db
        .prepare('INSERT INTO case_events (case_id, at, kind, data) VALUES (?, ?, ?, ?)')
        .run(caseId, e.at, e.kind, JSON.stringify(e));
    });
  }

  events(caseId: string): CaseEvent[] {
    return this.all<CaseEvent>(
      'case_events',
      'SELECT data FROM case_events WHERE case_id = ? ORDER BY at, id',
      caseId,
    );
  }

  watchCursor(source: string): WatchCursor | null {
    if (!this.has('watch_cursors')) return null;
    const r = this.db.prepare('SELECT validity, last FROM watch_cursors WHERE source = ?').get(source) as
      WatchCursor | undefined;
    return r ? { validity: r.validity, last: r.last } : null;
  }

  private putCursor(source: string, c: WatchCursor): void {
    this.db
      .prepare(
        'INSERT INTO watch_cursors (source, validity, last) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET validity = excluded.validity, last = excluded.last',
      )
      .run(source, c.validity, c.last);
  }

  setWatchCursor(source: string, cursor: WatchCursor): Promise<void> {
    return this.write(() => this.putCursor(source, cursor));
  }

  watchSeen(fingerprint: string): boolean {
    if (!this.has('watch_seen')) return false;
    return this.db.prepare('SELECT 1 FROM watch_seen WHERE fingerprint = ?').get(fingerprint) !== undefined;
  }

  recordWatched(r: WatchRecord): Promise<boolean> {
    return this.write(() => {
      this.putCursor(r.source, r.cursor);
      const fresh =
        this.db
          .prepare('INSERT OR IGNORE INTO watch_seen (fingerprint, source, uid, at) VALUES (?, ?, ?, ?)')
          .run(r.fingerprint, r.source, r.event.source.uid, r.event.at).changes === 1;
      if (!fresh) return false;
      this.db
        .prepare('INSERT OR IGNORE INTO watch_events (id, at, kind, data) VALUES (?, ?, ?, ?)')
        .run(r.event.id, r.event.at, r.event.kind, JSON.stringify(r.event));
      if (r.alert)
        this.db
          .prepare('INSERT OR IGNORE INTO alerts (id, at, data) VALUES (?, ?, ?)')
          .run(r.alert.id, r.alert.at, JSON.stringify(r.alert));
      return true;
    });
  }

  watchEvents(): WatchEvent[] {
    return this.all<WatchEvent>('watch_events', 'SELECT data FROM watch_events ORDER BY rowid');
  }

  alerts(opts: { all?: boolean } = {}): WatchAlert[] {
    if (!this.has('alerts')) return [];
    const rows = this.db
      .prepare(
        `SELECT data, shown, dismissed FROM alerts ${opts.all ? '' : 'WHERE dismissed = 0'} ORDER BY rowid`,
      )
      .all() as { data: string; shown: number; dismissed: number }[];
    return rows.map((r) => ({
      ...(JSON.parse(r.data) as WatchAlert),
      shown: r.shown === 1,
      dismissed: r.dismissed === 1,
    }));
  }

  markAlertsShown(ids: readonly string[]): Promise<void> {
    return this.write(() => {
      const st = this.db.prepare('UPDATE alerts SET shown = 1 WHERE id = ?');
      for (const id of ids) st.run(id);
    });
  }

  dismissAlert(id: string): Promise<boolean> {
    return this.write(
      () => this.db.prepare('UPDATE alerts SET dismissed = 1 WHERE id = ?').run(id).changes === 1,
    );
  }

  getSetting(key: string): string | null {
    if (!this.has('settings')) return null;
    const v = this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
      string | undefined;
    return v ?? null;
  }

  setSetting(key: string, value: string): Promise<void> {
    return this.write(() => {
      this.db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
    });
  }

  close(): void {
    this.db.close();
  }
}

class NothingAdded {
  constructor(readonly unchanged: number) {}
}

/** The SQLite store under its historical name (tests, bench). */
export const Store = SqliteStore;
export type Store = SqliteStore;
