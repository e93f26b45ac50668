import { startServer, type RunningServer } from '#interfaces/http/server.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import type { Store } from '#core/ports/store.ts';

/** A browser's session with the server, for Node's fetch (which keeps no cookies and sends no Origin). */
export interface Session {
  cookie: string;
  csrf: string;
  /** fetch with the session cookie and the server's own Origin, as the page's requests carry them. */
  fetch: typeof fetch;
}

/** Opens the printed URL as the browser does: the token for the cookie, then the session for its CSRF value. */
export async function login(origin: string, url: string): Promise<Session> {
  const r = await fetch(url, { redirect: 'manual' });
  const set = r.headers.get('set-cookie') ?? '';
  const cookie = set.split(';')[0]!;
  if (r.status !== 303 || !cookie.includes('=')) throw new Error(`no session: ${r.status} ${set}`);
  const own: typeof fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    if (!headers.has('origin')) headers.set('origin', origin);
    return fetch(input, { ...init, headers });
  };
  const s = (await (await own(`${origin}/api/session`)).json()) as { csrf: string };
  return { cookie, csrf: s.csrf, fetch: own };
}

/** The server in this process, over real HTTP on 127.0.0.1, in front of the given store. */
export async function inProcess(
  store: Store,
  opts: { maxBody?: number; lang?: 'ja' | 'en'; alertPollMs?: number; webRoot?: string } = {},
): Promise<RunningServer> {
  return startServer({
    store,
    knowledge: loadKnowledge(),
    lang: opts.lang ?? 'ja',
    webRoot: opts.webRoot ?? null,
    version: 'test',
    ...(opts.maxBody !== undefined ? { maxBody: opts.maxBody } : {}),
    ...(opts.alertPollMs !== undefined ? { alertPollMs: opts.alertPollMs } : {}),
  });
}
