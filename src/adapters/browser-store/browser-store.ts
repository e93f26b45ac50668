import sqlite3InitModule, {
  type Database,
  type PreparedStatement,
  type SAHPoolUtil,
  type Sqlite3Static,
} from '@sqlite.org/sqlite-wasm';
import type { Store } from '#core/ports/store.ts';
import { migrate, SqlStore, type SqlConnection, type SqlParam } from '#adapters/store/sql.ts';
import { BrowserStoreError, classify } from './errors.ts';
import {
  hasIndexedDb,
  holdLock,
  idbDelete,
  idbGet,
  idbOpen,
  idbPut,
  opfsHas,
  opfsRemove,
  type IdbDatabase,
} from './web.ts';

/**
 * Where the data is kept: `opfs` (SQLite on the origin-private file system, the opfs-sahpool VFS), `indexeddb`
 * (SQLite in memory, the whole database written to IndexedDB after each committed change), or `memory` (nothing
 * persists: the browser offers neither, e.g. storage blocked).
 */
export type BrowserBackend = 'opfs' | 'indexeddb' | 'memory';

export interface BrowserStoreOptions {
  /** The store's name in this origin: 1–40 of a–z, 0–9 and `-`. */
  name: string;
  /** Use only this backend (fails with `unavailable` if the browser lacks it); default: the best there is. */
  backend?: BrowserBackend;
  /** How long to wait for another tab that is closing the store (ms, default 3000). */
  lockWaitMs?: number;
}

/** The Store port in a browser's dedicated Worker, plus what the page needs to say where the data is. */
export interface BrowserStore extends Store {
  readonly backend: BrowserBackend;
  /** Whether the data outlives the page (false for `memory`). */
  readonly persistent: boolean;
  /** The order history as plain data, for `postMessage` (`orderHistoryFrom` in core rebuilds it). */
  orderHistoryData(): { ids: string[]; coverage: { from: string; to: string } | null };
  /** The whole database as an SQLite file (for "export everything"); consistent, never mid-transaction. */
  databaseBytes(): Promise<Uint8Array>;
  /** Closes the store and deletes every byte of it on this device (the OPFS pool and the IndexedDB copy). */
  forget(): Promise<void>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const DB_FILE = '/mamori.db';
const vfsName = (name: string) => `mamori-sahpool-${name}`;
const vfsDir = (name: string) => `.mamori-sahpool-${name}`;
const idbName = (name: string) => `mamori-store-${name}`;
const lockName = (name: string) => `mamori-store-${name}`;

let sqlite: Promise<Sqlite3Static> | undefined;
const loadSqlite = () => (sqlite ??= sqlite3InitModule());

/** oo1 statements as the shared queries' connection; `db` can be swapped (an IndexedDB copy reloaded). */
class WasmConnection implements SqlConnection {
  private cache = new Map<string, PreparedStatement>();

  constructor(
    private readonly sqlite3: Sqlite3Static,
    public db: Database,
  ) {}

  replace(db: Database): void {
    this.dispose();
    this.db = db;
  }

  dispose(): void {
    for (const s of this.cache.values()) s.finalize();
    this.cache.clear();
    this.db.close();
  }

  private st(sql: string, params: SqlParam[]): PreparedStatement {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    s.reset(true);
    if (params.length) s.bind(params);
    return s;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  run(sql: string, ...params: SqlParam[]): number {
    const s = this.st(sql, params);
    try {
      s.step();
    } finally {
      s.reset(true);
    }
    return this.db.changes();
  }

  row(sql: string, ...params: SqlParam[]): unknown[] | undefined {
    const s = this.st(sql, params);
    try {
      return s.step() ? (s.get([]) as unknown[]) : undefined;
    } finally {
      s.reset(true);
    }
  }

  rows(sql: string, ...params: SqlParam[]): unknown[][] {
    const s = this.st(sql, params);
    const out: unknown[][] = [];
    try {
      while (s.step()) out.push(s.get([]) as unknown[]);
    } finally {
      s.reset(true);
    }
    return out;
  }

  prepare(sql: string) {
    const s = this.db.prepare(sql);
    return {
      run: (...params: SqlParam[]) => {
        s.bind(params).stepReset();
        s.clearBindings();
      },
      finalize: () => void s.finalize(),
    };
  }

  get inTransaction(): boolean {
    return this.db.pointer !== undefined && this.sqlite3.capi.sqlite3_get_autocommit(this.db) === 0;
  }

  bytes(): Uint8Array {
    return this.sqlite3.capi.sqlite3_js_db_export(this.db);
  }
}

interface Backing {
  backend: BrowserBackend;
  /** Makes a committed transaction durable; throws (and the caller rolls the memory back) if it cannot. */
  persist?(bytes: Uint8Array): Promise<void>;
  /** The last durable copy, for rolling memory back after a failed persist. */
  reload?(): Promise<Uint8Array | undefined>;
  close(): void;
  forget(): Promise<void>;
}

class WasmStore extends SqlStore implements BrowserStore {
  readonly location: string;
  readonly persistent: boolean;
  private closed = false;

  constructor(
    private readonly sqlite3: Sqlite3Static,
    private readonly wasm: WasmConnection,
    private readonly backing: Backing,
    private readonly lock: { release(): void },
    name: string,
  ) {
    super(wasm);
    this.location = `browser:${backing.backend}:${name}`;
    this.persistent = backing.backend !== 'memory';
    this.refreshTables();
  }

  get backend(): BrowserBackend {
    return this.backing.backend;
  }

  protected async transact<T>(fn: () => T): Promise<T> {
    const conn = this.wasm;
    let r: T;
    try {
      conn.exec('BEGIN IMMEDIATE');
      r = fn();
      conn.exec('COMMIT');
    } catch (err) {
      if (conn.inTransaction) conn.exec('ROLLBACK');
      const code = classify(err);
      if (code) throw new BrowserStoreError(code, 'the change could not be saved', { cause: err });
      throw err;
    }
    if (this.backing.persist) {
      try {
        await this.backing.persist(conn.bytes());
      } catch (err) {
        // The copy on disk is the truth: memory goes back to it, so the page never shows what was not kept.
        const last = await this.backing.reload!();
        conn.replace(openMemory(this.sqlite3, last));
        this.refreshTables();
        throw new BrowserStoreError(classify(err) ?? 'full', 'the change could not be kept', { cause: err });
      }
    }
    return r;
  }

  databaseBytes(): Promise<Uint8Array> {
    // Behind every queued write, so the file is never taken mid-transaction.
    return this.serial(async () => this.wasm.bytes());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.wasm.dispose();
      this.backing.close();
    } finally {
      this.lock.release();
    }
  }

  forget(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
      try {
        this.wasm.dispose();
        await this.backing.forget();
      } finally {
        this.lock.release();
      }
    });
  }
}

function openMemory(sqlite3: Sqlite3Static, bytes: Uint8Array | undefined): Database {
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  if (bytes && bytes.length > 0) {
    const capi = sqlite3.capi;
    const p = sqlite3.wasm.allocFromTypedArray(bytes);
    const rc = capi.sqlite3_deserialize(
      db,
      'main',
      p,
      bytes.length,
      bytes.length,
      capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE,
    );
    if (rc !== 0) {
      db.close();
      throw new BrowserStoreError('corrupt', `the saved database could not be read (${rc})`);
    }
  }
  return db;
}

/** A damaged file must not be half-read: quick_check before anything else touches it. */
function prepare(sqlite3: Sqlite3Static, db: Database): WasmConnection {
  const conn = new WasmConnection(sqlite3, db);
  try {
    const check = conn.rows('PRAGMA quick_check').map((r) => String(r[0]));
    if (check.length !== 1 || check[0] !== 'ok')
      throw new BrowserStoreError('corrupt', `quick_check: ${check.slice(0, 3).join('; ')}`);
    conn.exec('PRAGMA foreign_keys = ON');
    migrate(conn);
  } catch (err) {
    conn.dispose();
    if (err instanceof BrowserStoreError) throw err;
    const code = classify(err);
    throw new BrowserStoreError(code ?? 'corrupt', 'the saved database could not be opened', { cause: err });
  }
  return conn;
}

const pools = new Map<string, SAHPoolUtil>();

/** The store's own SAH pool, or undefined where OPFS (with sync access handles) is missing or refused. */
async function installPool(sqlite3: Sqlite3Static, name: string): Promise<SAHPoolUtil | undefined> {
  let pool = pools.get(name);
  try {
    if (!pool) {
      pool = await sqlite3.installOpfsSAHPoolVfs({
        name: vfsName(name),
        directory: vfsDir(name),
        // A failed start (another context holding the files) must never delete the person's data.
        preserveOnInitFailure: true,
        forceReinitIfPreviouslyFailed: true,
        initialCapacity: 6,
      } as Parameters<Sqlite3Static['installOpfsSAHPoolVfs']>[0]);
      pools.set(name, pool);
    } else if (pool.isPaused()) {
      await pool.unpauseVfs();
    }
    return pool;
  } catch (err) {
    const e = err as { name?: string };
    // Another context holds the files: falling back would split the person's data in two.
    if (e.name === 'NoModificationAllowedError' || e.name === 'InvalidStateError')
      throw new BrowserStoreError('in-use', 'the OPFS files are held by another context', { cause: err });
    return undefined;
  }
}

/**
 * A person who used this browser before it had OPFS has their data in the IndexedDB copy: it moves into the new
 * OPFS file (whole, before anything else is written), and the copy is deleted once the file has opened.
 */
async function adoptIndexedDbCopy(pool: SAHPoolUtil, name: string): Promise<boolean> {
  if (pool.getFileNames().includes(DB_FILE) || !hasIndexedDb()) return false;
  const idb = await idbOpen(idbName(name)).catch(() => undefined);
  if (!idb) return false;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await idbGet(idb, DB_FILE);
  } finally {
    idb.close();
  }
  // Opening it created an empty one: leave nothing behind.
  if (!bytes || bytes.length === 0) {
    await idbDelete(idbName(name));
    return false;
  }
  await pool.importDb(DB_FILE, bytes);
  return true;
}

async function openOpfs(sqlite3: Sqlite3Static, pool: SAHPoolUtil, name: string) {
  let db: Database;
  let adopted = false;
  try {
    adopted = await adoptIndexedDbCopy(pool, name);
    db = new pool.OpfsSAHPoolDb(DB_FILE);
  } catch (err) {
    pool.pauseVfs();
    throw new BrowserStoreError(classify(err) ?? 'corrupt', 'the OPFS database could not be opened', {
      cause: err,
    });
  }
  let conn: WasmConnection;
  try {
    conn = prepare(sqlite3, db);
  } catch (err) {
    pool.pauseVfs();
    throw err;
  }
  if (adopted) await idbDelete(idbName(name));
  const backing: Backing = {
    backend: 'opfs',
    close: () => void pool.pauseVfs(),
    forget: async () => {
      // removeVfs logs and swallows a failed removal: forgetPool makes sure nothing is left.
      await forgetPool(name);
      await idbDelete(idbName(name));
    },
  };
  return { conn, backing };
}

async function openIndexedDb(sqlite3: Sqlite3Static, name: string) {
  let idb: IdbDatabase | undefined;
  try {
    idb = await idbOpen(idbName(name));
  } catch (err) {
    if ((err as { name?: string }).name === 'QuotaExceededError')
      throw new BrowserStoreError('full', 'IndexedDB refused to open', { cause: err });
    return undefined;
  }
  if (!idb) return undefined;
  const db = idb;
  const stored = await idbGet(db, DB_FILE);
  const conn = prepare(sqlite3, openMemory(sqlite3, stored));
  const backing: Backing = {
    backend: 'indexeddb',
    persist: (bytes) => idbPut(db, DB_FILE, bytes),
    reload: () => idbGet(db, DB_FILE),
    close: () => db.close(),
    forget: async () => {
      db.close();
      await idbDelete(idbName(name));
      await forgetPool(name);
    },
  };
  return { conn, backing };
}

function openNowhere(sqlite3: Sqlite3Static) {
  const conn = prepare(sqlite3, openMemory(sqlite3, undefined));
  const backing: Backing = { backend: 'memory', close: () => undefined, forget: async () => undefined };
  return { conn, backing };
}

/** Removes the store's OPFS pool (this worker's, released first, or one left by an earlier visit). */
async function forgetPool(name: string): Promise<void> {
  const pool = pools.get(name);
  pools.delete(name);
  if (pool) await pool.removeVfs();
  if (await opfsHas(vfsDir(name))) await opfsRemove(vfsDir(name));
}

const checkName = (name: string) => {
  if (!NAME.test(name)) throw new TypeError(`store name ${JSON.stringify(name)}: use 1–40 of a-z, 0-9 and -`);
};

/**
 * Opens the store called `name` in this origin. Call it in a dedicated Web Worker (OPFS sync access handles
 * exist only there). One tab at a time holds a store: another gets `in-use`.
 */
export async function openBrowserStore(opts: BrowserStoreOptions): Promise<BrowserStore> {
  checkName(opts.name);
  const want = opts.backend;
  const sqlite3 = await loadSqlite();
  const lock = await holdLock(lockName(opts.name), opts.lockWaitMs ?? 3000);
  if (!lock) throw new BrowserStoreError('in-use', 'another tab holds the store');
  try {
    let opened: { conn: WasmConnection; backing: Backing } | undefined;
    if (want === undefined || want === 'opfs') {
      const pool = await installPool(sqlite3, opts.name);
      if (pool) opened = await openOpfs(sqlite3, pool, opts.name);
      else if (want === 'opfs') throw new BrowserStoreError('unavailable', 'OPFS is missing');
    }
    if (!opened && (want === undefined || want === 'indexeddb')) {
      opened = await openIndexedDb(sqlite3, opts.name);
      if (!opened && want === 'indexeddb') throw new BrowserStoreError('unavailable', 'IndexedDB is missing');
    }
    opened ??= openNowhere(sqlite3);
    return new WasmStore(sqlite3, opened.conn, opened.backing, lock, opts.name);
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * Deletes everything the store called `name` keeps on this device, without opening it (a damaged store, or the
 * "forget everything" button before anything was opened). Refuses with `in-use` while a tab holds it.
 */
export async function forgetBrowserStore(name: string): Promise<void> {
  checkName(name);
  const lock = await holdLock(lockName(name), 3000);
  if (!lock) throw new BrowserStoreError('in-use', 'another tab holds the store');
  try {
    await forgetPool(name);
    if (hasIndexedDb()) await idbDelete(idbName(name));
  } finally {
    lock.release();
  }
}
