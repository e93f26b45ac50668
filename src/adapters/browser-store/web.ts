// The few browser storage APIs the store uses, typed by what it needs. The project type-checks against Node's types
// (no DOM library), and a browser without one of them must read as "missing", never crash: each accessor returns
// undefined where the API is absent.

interface Request<T> {
  result: T;
  error: { name: string; message: string } | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenRequest extends Request<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface IdbTransaction {
  objectStore(name: string): {
    put(value: unknown, key: string): Request<unknown>;
    get(key: string): Request<unknown>;
  };
  error: { name: string; message: string } | null;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
export interface IdbDatabase {
  createObjectStore(name: string): unknown;
  objectStoreNames: { contains(name: string): boolean };
  transaction(store: string, mode: 'readonly' | 'readwrite', opts?: { durability: 'strict' }): IdbTransaction;
  close(): void;
}
interface IdbFactory {
  open(name: string, version: number): OpenRequest;
  deleteDatabase(name: string): OpenRequest;
}
interface Lock {
  name: string;
}
interface LockManager {
  request(
    name: string,
    opts: { mode: 'exclusive'; signal?: unknown },
    cb: (lock: Lock | null) => Promise<void>,
  ): Promise<void>;
}
interface DirectoryHandle {
  removeEntry(name: string, opts?: { recursive: boolean }): Promise<void>;
  getDirectoryHandle(name: string): Promise<DirectoryHandle>;
}
interface WebGlobals {
  indexedDB?: IdbFactory;
  navigator?: {
    locks?: LockManager;
    storage?: { getDirectory?: () => Promise<DirectoryHandle> };
  };
  AbortSignal?: { timeout?(ms: number): unknown };
}

const web = globalThis as unknown as WebGlobals;

/** An error as a DOM API gives it (name, message), or as SQLite-WASM gives it. */
export interface NamedError {
  name: string;
  message: string;
}

const settle = <T>(req: Request<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

const STORE = 'files';

/** Opens (creating) an IndexedDB database holding one object store of files; undefined without IndexedDB. */
export async function idbOpen(name: string): Promise<IdbDatabase | undefined> {
  const f = web.indexedDB;
  if (!f) return undefined;
  const req = f.open(name, 1);
  req.onupgradeneeded = () => {
    if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
  };
  req.onblocked = () => undefined;
  return settle(req);
}

const done = (tx: IdbTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = fail;
    tx.onabort = fail;
  });

/** Reads one file's bytes (undefined when it was never written). */
export async function idbGet(db: IdbDatabase, key: string): Promise<Uint8Array | undefined> {
  const tx = db.transaction(STORE, 'readonly');
  const v = await settle(tx.objectStore(STORE).get(key));
  await done(tx);
  return v instanceof Uint8Array ? v : undefined;
}

/** Replaces one file's bytes in one IndexedDB transaction (all of it or, on any failure, the old bytes stay). */
export async function idbPut(db: IdbDatabase, key: string, bytes: Uint8Array): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
  tx.objectStore(STORE).put(bytes, key);
  await done(tx);
}

/** Deletes a whole IndexedDB database; resolves when it is gone (or never existed). */
export async function idbDelete(name: string): Promise<void> {
  const f = web.indexedDB;
  if (!f) return;
  await settle(f.deleteDatabase(name));
}

export const hasIndexedDb = (): boolean => web.indexedDB !== undefined;

/**
 * Holds an exclusive Web Lock until `release` is called: one tab at a time owns a store (two tabs writing one
 * database copy would overwrite each other). Waits up to `waitMs` for a tab that is closing; null when another
 * tab keeps it. Without the Web Locks API (old browsers) there is nothing to hold and the store opens anyway.
 */
export async function holdLock(name: string, waitMs: number): Promise<{ release(): void } | null> {
  const locks = web.navigator?.locks;
  if (!locks) return { release: () => undefined };
  const signal = web.AbortSignal?.timeout?.(waitMs);
  return new Promise((resolve, reject) => {
    locks
      .request(name, { mode: 'exclusive', ...(signal ? { signal } : {}) }, (lock) => {
        if (!lock) {
          resolve(null);
          return Promise.resolve();
        }
        return new Promise<void>((release) => resolve({ release: () => release() }));
      })
      .catch((e: NamedError) =>
        e.name === 'AbortError' || e.name === 'TimeoutError' ? resolve(null) : reject(e),
      );
  });
}

/** Removes a directory of the origin-private file system; false when there is no OPFS. */
export async function opfsRemove(dir: string): Promise<boolean> {
  const get = web.navigator?.storage?.getDirectory;
  if (!get) return false;
  const root = await get.call(web.navigator!.storage);
  try {
    await root.removeEntry(dir, { recursive: true });
  } catch (e) {
    if ((e as NamedError).name !== 'NotFoundError') throw e;
  }
  return true;
}

/** Whether a directory exists in the origin-private file system. */
export async function opfsHas(dir: string): Promise<boolean> {
  const get = web.navigator?.storage?.getDirectory;
  if (!get) return false;
  const root = await get.call(web.navigator!.storage);
  return root.getDirectoryHandle(dir).then(
    () => true,
    () => false,
  );
}
