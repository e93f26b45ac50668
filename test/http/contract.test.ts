import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpStore } from '#adapters/http-store/http-store.ts';
import { SqliteStore } from '#adapters/store/store.ts';
import type { Store } from '#core/ports/store.ts';
import { storeContract } from '../store/contract.ts';
import { inProcess, login } from './session.ts';

// The client adapter against a real server on 127.0.0.1, with a fresh SQLite file behind it for each test.
storeContract('http (createHttpStore → mamori serve → SQLite)', async (): Promise<Store> => {
  const sqlite = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'mamori-http-')), 'mamori.db'));
  const server = await inProcess(sqlite);
  const s = await login(server.origin, server.url);
  // As strict as a browser's fetch, which throws "Illegal invocation" when called as a method of another object.
  const browserLike = function (this: unknown, ...args: Parameters<typeof fetch>) {
    if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
    return s.fetch(...args);
  } as typeof fetch;
  const store = createHttpStore({ baseUrl: server.origin, fetch: browserLike, csrf: s.csrf });
  return {
    ...store,
    close: () => {
      store.close();
      void server.close().then(() => sqlite.close());
    },
  };
});
