// A dedicated Worker holding real browser stores (OPFS sync access handles exist only in workers), driven by the
// page over a small RPC. Nothing here stands in for the store: every call is the store's own.
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { forgetBrowserStore, openBrowserStore, type BrowserStore } from '#adapters/browser-store/index.ts';
import type { RecordSink } from '#core/ports/store.ts';
import type { Opened, Reply, Request } from './protocol.ts';

interface WorkerScope {
  onmessage: ((ev: { data: { id: number; req: Request } }) => void) | null;
  postMessage(m: Reply): void;
  navigator: { storage: { getDirectory(): Promise<{ keys(): AsyncIterable<string> }> } };
}
const scope = globalThis as unknown as WorkerScope;
const stores = new Map<number, BrowserStore>();
let next = 1;

const store = (h: number) => {
  const s = stores.get(h);
  if (!s) throw new Error(`no store ${h}`);
  return s;
};

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'open': {
      const s = await openBrowserStore({
        name: req.name,
        ...(req.backend ? { backend: req.backend } : {}),
        ...(req.lockWaitMs ? { lockWaitMs: req.lockWaitMs } : {}),
      });
      const handle = next++;
      stores.set(handle, s);
      return { handle, backend: s.backend, persistent: s.persistent, location: s.location } satisfies Opened;
    }
    case 'call': {
      const s = store(req.handle) as unknown as Record<string, (...a: unknown[]) => unknown>;
      if (req.method === 'orderHistory') return store(req.handle).orderHistoryData();
      return await s[req.method]!.apply(s, req.args);
    }
    case 'import':
      return store(req.handle).importFile(req.file, req.kind, async (sink: RecordSink) => {
        for (const [kind, rec] of req.records) (sink[kind] as (r: unknown) => void)(rec);
        await Promise.resolve();
        if (req.error !== undefined) throw new Error(req.error);
      });
    case 'close':
      store(req.handle).close();
      stores.delete(req.handle);
      return null;
    case 'forget':
      await store(req.handle).forget();
      stores.delete(req.handle);
      return null;
    case 'forgetByName':
      return forgetBrowserStore(req.name);
    case 'bytes':
      return store(req.handle).databaseBytes();
    case 'corrupt':
      return corrupt(req.name);
    case 'hideOpfs': {
      // This worker becomes a browser without OPFS sync access handles (older Safari, Firefox before 111).
      const proto = (
        globalThis as unknown as { FileSystemFileHandle: { prototype: Record<string, unknown> } }
      ).FileSystemFileHandle.prototype;
      delete proto.createSyncAccessHandle;
      return 'createSyncAccessHandle' in proto;
    }
    case 'opfsDirs': {
      const root = await scope.navigator.storage.getDirectory();
      const names: string[] = [];
      for await (const n of root.keys()) names.push(n);
      return names;
    }
  }
}

/**
 * Damages a closed OPFS store the way a torn write or a bad disk would: the file keeps its SQLite header (so it is
 * still taken for a database) but its pages are overwritten. Done through SQLite-WASM's own pool API.
 */
async function corrupt(name: string): Promise<void> {
  const sqlite3 = await sqlite3InitModule();
  const pool = await sqlite3.installOpfsSAHPoolVfs({
    name: `mamori-sahpool-${name}`,
    directory: `.mamori-sahpool-${name}`,
  });
  if (pool.isPaused()) await pool.unpauseVfs();
  const bytes = pool.exportFile('/mamori.db');
  for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  await pool.importDb('/mamori.db', bytes);
  pool.pauseVfs();
}

scope.onmessage = (ev) => {
  const { id, req } = ev.data;
  handle(req).then(
    (value) => scope.postMessage({ id, ok: true, value }),
    (e: Error & { code?: string; messageKey?: string }) =>
      scope.postMessage({
        id,
        ok: false,
        error: {
          name: e.name,
          message: e.message,
          ...(e.code ? { code: e.code } : {}),
          ...(e.messageKey ? { messageKey: e.messageKey } : {}),
        },
      }),
  );
};
