import { existsSync, mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Store as StorePort } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { migrate, SqlStore, type SqlConnection } from '#adapters/store/sql.ts';

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

/** better-sqlite3 as the shared queries' connection (statements prepared once per text). */
function connection(db: Database.Database): SqlConnection {
  const cache = new Map<string, Database.Statement>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    exec: (sql) => void db.exec(sql),
    run: (sql, ...params) => st(sql).run(...params).changes,
    row: (sql, ...params) =>
      st(sql)
        .raw()
        .get(...params) as unknown[] | undefined,
    rows: (sql, ...params) =>
      st(sql)
        .raw()
        .all(...params) as unknown[][],
    prepare: (sql) => {
      const s = db.prepare(sql);
      return { run: (...params) => void s.run(...params), finalize: () => undefined };
    },
    get inTransaction() {
      return db.inTransaction;
    },
  };
}

/** The SQLite store: one file, WAL (readers never wait for a writer), writers queue behind each other. */
export class SqliteStore extends SqlStore {
  readonly db: Database.Database;
  readonly location: string;
  private readonly readonly: boolean;
  private readonly onBusy: (() => void) | undefined;
  private readonly maxWaitMs: number;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    const readonly = opts.readonly === true;
    const db = new Database(path, { readonly, fileMustExist: readonly, timeout: 5000 });
    super(connection(db));
    this.db = db;
    this.location = path;
    this.readonly = readonly;
    this.onBusy = opts.onBusy;
    this.maxWaitMs = opts.maxWaitMs ?? 15 * 60_000;
    if (!this.readonly) {
      this.db.pragma('foreign_keys = ON');
      // Only a new or older store is written to here: opening an up-to-date one never takes the write lock.
      migrate(this.conn, () => {
        if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
      });
    }
    this.refreshTables();
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
  protected async transact<T>(fn: () => T): Promise<T> {
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

  close(): void {
    this.db.close();
  }
}

/** The SQLite store under its historical name (tests, bench). */
export const Store = SqliteStore;
export type Store = SqliteStore;
