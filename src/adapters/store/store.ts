import { mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import { orderHistoryFrom, type OrderHistory } from '#core/check/index.ts';

/** Where mamori keeps its data: MAMORI_HOME, else the platform's per-user data folder. */
export function mamoriHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAMORI_HOME) return env.MAMORI_HOME;
  const home = homedir();
  if (platform() === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'mamori');
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'mamori');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'mamori');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS imports (id INTEGER PRIMARY KEY, at TEXT NOT NULL, file TEXT NOT NULL, kind TEXT NOT NULL, added INTEGER NOT NULL, unchanged INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS order_lines (key TEXT PRIMARY KEY, order_id TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE INDEX IF NOT EXISTS order_lines_order ON order_lines(order_id);
CREATE TABLE IF NOT EXISTS order_payments (key TEXT PRIMARY KEY, order_id TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE TABLE IF NOT EXISTS refunds (key TEXT PRIMARY KEY, order_id TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE TABLE IF NOT EXISTS charges (key TEXT PRIMARY KEY, date TEXT NOT NULL, data TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, created TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS case_events (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), at TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
PRAGMA user_version = 1;
`;

/** Receives the records of one import; each add says whether the record was new. */
export interface RecordSink {
  line(l: OrderLine): boolean;
  payment(p: OrderPayment): boolean;
  refund(r: Refund): boolean;
  charge(c: CardCharge): boolean;
}

export interface StoredLedger {
  lines: OrderLine[];
  payments: OrderPayment[];
  refunds: Refund[];
  charges: CardCharge[];
}

export class Store {
  readonly db: Database.Database;

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  static open(home = mamoriHome()): Store {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    return new Store(join(home, 'mamori.db'));
  }

  static memory(): Store {
    return new Store(':memory:');
  }

  /**
   * One import is one transaction: `fill` streams records into the sink; if it throws, nothing of it stays.
   * Records already stored (same natural key) are left as they are, so a cumulative export adds only what is new.
   */
  async importFile(
    file: string,
    kind: string,
    fill: (sink: RecordSink) => Promise<void>,
  ): Promise<{ added: number; unchanged: number }> {
    const db = this.db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const at = new Date().toISOString();
      const importId = Number(
        db
          .prepare('INSERT INTO imports (at, file, kind, added, unchanged) VALUES (?, ?, ?, 0, 0)')
          .run(at, file, kind).lastInsertRowid,
      );
      const ins = {
        line: db.prepare(
          'INSERT OR IGNORE INTO order_lines (key, order_id, data, import_id) VALUES (?, ?, ?, ?)',
        ),
        payment: db.prepare(
          'INSERT OR IGNORE INTO order_payments (key, order_id, data, import_id) VALUES (?, ?, ?, ?)',
        ),
        refund: db.prepare(
          'INSERT OR IGNORE INTO refunds (key, order_id, data, import_id) VALUES (?, ?, ?, ?)',
        ),
        charge: db.prepare('INSERT OR IGNORE INTO charges (key, date, data, import_id) VALUES (?, ?, ?, ?)'),
      };
      let added = 0;
      let unchanged = 0;
      const count = (changes: number) => {
        if (changes > 0) added++;
        else unchanged++;
        return changes > 0;
      };
      await fill({
        line: (l) => count(ins.line.run(l.key, l.orderId, JSON.stringify(l), importId).changes),
        payment: (p) => count(ins.payment.run(p.key, p.orderId, JSON.stringify(p), importId).changes),
        refund: (r) => count(ins.refund.run(r.key, r.orderId, JSON.stringify(r), importId).changes),
        charge: (c) => count(ins.charge.run(c.key, c.date, JSON.stringify(c), importId).changes),
      });
      db.prepare('UPDATE imports SET added = ?, unchanged = ? WHERE id = ?').run(added, unchanged, importId);
      if (added === 0) db.exec('ROLLBACK');
      else db.exec('COMMIT');
      return { added, unchanged };
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  load(): StoredLedger {
    const all = <T>(sql: string) =>
      this.db
        .prepare(sql)
        .pluck()
        .all()
        .map((d) => JSON.parse(d as string) as T);
    return {
      lines: all<OrderLine>('SELECT data FROM order_lines'),
      payments: all<OrderPayment>('SELECT data FROM order_payments'),
      refunds: all<Refund>('SELECT data FROM refunds'),
      charges: all<CardCharge>('SELECT data FROM charges ORDER BY date'),
    };
  }

  counts(): { lines: number; orders: number; charges: number; refunds: number } {
    const one = (sql: string) => Number(this.db.prepare(sql).pluck().get());
    return {
      lines: one('SELECT COUNT(*) FROM order_lines'),
      orders: one('SELECT COUNT(DISTINCT order_id) FROM order_lines'),
      charges: one('SELECT COUNT(*) FROM charges'),
      refunds: one('SELECT COUNT(*) FROM refunds'),
    };
  }

  /** The user's order IDs, for the mail check's order-number rule. */
  orderHistory(): OrderHistory {
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

  createCase(c: CaseRecord): void {
    this.db
      .prepare('INSERT INTO cases (id, created, data) VALUES (?, ?, ?)')
      .run(c.id, c.created, JSON.stringify(c));
  }

  saveCase(c: CaseRecord): void {
    const r = this.db.prepare('UPDATE cases SET data = ? WHERE id = ?').run(JSON.stringify(c), c.id);
    if (r.changes !== 1) throw new Error(`case ${c.id} does not exist`);
  }

  getCase(id: string): CaseRecord | null {
    const d = this.db.prepare('SELECT data FROM cases WHERE id = ?').pluck().get(id) as string | undefined;
    return d ? (JSON.parse(d) as CaseRecord) : null;
  }

  caseIds(): string[] {
    return this.db.prepare('SELECT id FROM cases ORDER BY created, id').pluck().all() as string[];
  }

  listCases(): CaseRecord[] {
    return (this.db.prepare('SELECT data FROM cases ORDER BY created, id').pluck().all() as string[]).map(
      (d) => JSON.parse(d) as CaseRecord,
    );
  }

  addEvent(caseId: string, e: CaseEvent): void {
    this.db
      .prepare('INSERT INTO case_events (case_id, at, kind, data) VALUES (?, ?, ?, ?)')
      .run(caseId, e.at, e.kind, JSON.stringify(e));
  }

  events(caseId: string): CaseEvent[] {
    return (
      this.db
        .prepare('SELECT data FROM case_events WHERE case_id = ? ORDER BY at, id')
        .pluck()
        .all(caseId) as string[]
    ).map((d) => JSON.parse(d) as CaseEvent);
  }

  close(): void {
    this.db.close();
  }
}
