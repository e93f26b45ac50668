/**
 * The one seam between the app and its storage (the core's Store port), chosen once when the engine starts:
 *
 * - **served**: the page came from `mamori serve` (`GET /api/health` answers `{app:'mamori', mode:'served'}`): the
 *   store is the CLI's SQLite behind the local API (`createHttpStore`, with the session's CSRF token), so the
 *   CLI, the app and the watcher share cases and data;
 * - **browser**: static hosting (the health check gives a 404, non-JSON, or no answer offline): SQLite-WASM in
 *   this worker (`openBrowserStore`, opfs-sahpool), so nothing leaves the device;
 * - **memory**: neither adapter is in this build, or the browser refused storage (private mode): the core's
 *   MemoryStore, kept until the tab closes (the page says so).
 *
 * The adapters are found with `import.meta.glob`, so this file builds whether they exist yet or not, and each
 * is its own chunk, loaded only in the mode that needs it.
 */
import type { Store } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import type { StoreMode } from './protocol.ts';

interface HttpStoreModule {
  createHttpStore(o: { baseUrl: string; fetch: typeof fetch; csrf: string }): Store;
}
interface BrowserStoreModule {
  openBrowserStore(o: { name: string }): Promise<Store>;
}

const httpModules = import.meta.glob<HttpStoreModule>('../../../adapters/http-store/http-store.ts');
const browserModules = import.meta.glob<BrowserStoreModule>('../../../adapters/browser-store/index.ts');

const loader = <T>(mods: Record<string, () => Promise<T>>): (() => Promise<T>) | null =>
  Object.values(mods)[0] ?? null;

async function json(url: string): Promise<unknown> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  return res.json();
}

/** Served mode is recognised only by the server's own answer; anything else (404, HTML, offline) is static. */
export async function detectServed(origin: string): Promise<{ csrf: string; lang: string | null } | null> {
  try {
    const health = (await json(`${origin}/api/health`)) as { app?: string; mode?: string } | null;
    if (health?.app !== 'mamori' || health.mode !== 'served') return null;
    const session = (await json(`${origin}/api/session`)) as { csrf?: string; lang?: string } | null;
    return session?.csrf ? { csrf: session.csrf, lang: session.lang ?? null } : null;
  } catch {
    return null;
  }
}

export async function openStore(origin: string): Promise<{ store: Store; mode: StoreMode }> {
  const served = await detectServed(origin);
  const http = loader(httpModules);
  if (served && http) {
    const { createHttpStore } = await http();
    return {
      store: createHttpStore({ baseUrl: origin, fetch: fetch.bind(globalThis), csrf: served.csrf }),
      mode: 'served',
    };
  }
  const browser = loader(browserModules);
  if (browser) {
    try {
      const { openBrowserStore } = await browser();
      return { store: await openBrowserStore({ name: 'mamori' }), mode: 'browser' };
    } catch {
      // No OPFS and no IndexedDB (a private window): memory, and the page says nothing is kept.
    }
  }
  return { store: new MemoryStore(), mode: 'memory' };
}
