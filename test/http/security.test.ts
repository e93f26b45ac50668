import { request } from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '#adapters/store/store.ts';
import { serve, type Served } from '../helpers/serve.ts';
import { inProcess, login, type Session } from './session.ts';

/** A raw request (fetch cannot set Host): status, headers, body. */
function raw(
  origin: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const CASE = {
  id: 'C-20261121-1',
  created: '2026-11-21T00:00:00.000Z',
  title: 'テスト',
  region: 'jp',
  situations: ['unknown-charge'],
  noticed: '2026-11-21',
  contact: {},
  mails: [],
  charges: [],
  steps: {},
};

/** An error body: the shape of docs/api.md, a sentence, and nothing of the machine behind it. */
function expectCleanError(body: string, code: string): void {
  const e = (JSON.parse(body) as { error: { code: string; message: string } }).error;
  expect(e.code).toBe(code);
  expect(e.message.length).toBeGreaterThan(5);
  expect(body).not.toMatch(
    /\/tmp|\/work|mamori\.db|SQLITE|SqliteError|\bat [\w.<>]+ \(|node:|\.ts\b|\.js\b|stack/i,
  );
}

describe('mamori serve (the real command)', () => {
  let s: Served;
  let session: Session;
  beforeAll(async () => {
    s = await serve();
    session = await login(s.origin, s.url);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('prints its URL with a random base64url token, in Japanese, listening on 127.0.0.1', () => {
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(s.output().stdout).toContain('ブラウザーで次のアドレスを開いてください');
    expect(s.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('health answers without a token, and says it is the served mode', async () => {
    const r = await fetch(`${s.origin}/api/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ app: 'mamori', mode: 'served' });
  });

  it('the token URL sets an HttpOnly, SameSite=Strict cookie and redirects (303) to / without the token', async () => {
    const r = await fetch(s.url, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/');
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toContain(s.token);
  });

  it('a wrong token sets no cookie', async () => {
    const r = await fetch(`${s.origin}/?token=${'A'.repeat(43)}`, { redirect: 'manual' });
    expect(r.status).toBe(401);
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('no cookie: every /api request is refused with 401', async () => {
    for (const path of ['/api/session', '/api/cases', '/api/ledger', '/api/alerts', '/api/transfer/export']) {
      const r = await fetch(`${s.origin}${path}`);
      expect(r.status, path).toBe(401);
      expectCleanError(await r.text(), 'server.unauthorized');
    }
    const forged = await fetch(`${s.origin}/api/cases`, {
      headers: { cookie: session.cookie.replace(/=.*/, '=x') },
    });
    expect(forged.status).toBe(401);
  });

  it('a foreign Host is refused (DNS rebinding), localhost:PORT is accepted', async () => {
    const port = new URL(s.origin).port;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      '127.0.0.1',
    ]) {
      const r = await raw(s.origin, '/api/health', { headers: { host } });
      expect(r.status, host).toBe(421);
      expectCleanError(r.body, 'server.host');
    }
    const page = await raw(s.origin, '/', { headers: { host: 'attacker.test' } });
    expect(page.status).toBe(421);
    const ok = await raw(s.origin, '/api/health', { headers: { host: `localhost:${port}` } });
    expect(ok.status).toBe(200);
  });

  it('a cross-origin POST is refused even with the cookie and the CSRF value', async () => {
    const post = (headers: Record<string, string>) =>
      session.fetch(`${s.origin}/api/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mamori-csrf': session.csrf, ...headers },
        body: JSON.stringify(CASE),
      });
    const evil = await post({ origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expectCleanError(await evil.text(), 'server.origin');
    const otherPort = await post({ origin: `http://127.0.0.1:${Number(new URL(s.origin).port) + 1}` });
    expect(otherPort.status).toBe(403);
    // No Origin at all: only a browser's same-origin fetch metadata will do.
    const bare = await raw(s.origin, '/api/cases', {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-mamori-csrf': session.csrf, 'content-type': 'application/json' },
      body: JSON.stringify(CASE),
    });
    expect(bare.status).toBe(403);
    const site = await raw(s.origin, '/api/cases', {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'x-mamori-csrf': session.csrf,
        'content-type': 'application/json',
        'sec-fetch-site': 'cross-site',
      },
      body: JSON.stringify(CASE),
    });
    expect(site.status).toBe(403);
    expect((await (await session.fetch(`${s.origin}/api/cases`)).json()) as unknown[]).toEqual([]);
  });

  it('a change without the CSRF value (or with a wrong one) is refused; with it, it is kept', async () => {
    const post = (headers: Record<string, string>) =>
      session.fetch(`${s.origin}/api/settings/lang`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ value: 'en' }),
      });
    const none = await post({});
    expect(none.status).toBe(403);
    expectCleanError(await none.text(), 'server.csrf');
    expect((await post({ 'x-mamori-csrf': session.csrf.slice(1) + 'x' })).status).toBe(403);
    const sameSite = await raw(s.origin, '/api/settings/lang', {
      method: 'PUT',
      headers: {
        cookie: session.cookie,
        'x-mamori-csrf': session.csrf,
        'content-type': 'application/json',
        'sec-fetch-site': 'same-origin',
      },
      body: JSON.stringify({ value: 'ja' }),
    });
    expect(sameSite.status).toBe(200);
    const r = await session.fetch(`${s.origin}/api/settings/lang`);
    expect(await r.json()).toEqual({ key: 'lang', value: 'ja' });
  });

  it('a form post (not JSON) is refused', async () => {
    const r = await session.fetch(`${s.origin}/api/settings/lang`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mamori-csrf': session.csrf },
      body: 'value=en',
    });
    expect(r.status).toBe(415);
  });

  it('an upload declared larger than 50 MB is refused with 413 before it is read', async () => {
    // Only the start of the body is sent: the answer must come from the declared length alone.
    const u = new URL(s.origin);
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: '/api/ledger/imports',
          method: 'POST',
          headers: {
            cookie: session.cookie,
            origin: s.origin,
            'x-mamori-csrf': session.csrf,
            'content-type': 'application/json',
            'content-length': String(60 * 1024 * 1024),
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.write('{"file":');
    });
    expect(r.status).toBe(413);
    expectCleanError(r.body, 'server.too-large');
    expect((JSON.parse(r.body) as { error: { message: string } }).error.message).toContain('50 MB');
  });

  it('every response carries the strict CSP and the other headers', async () => {
    for (const path of ['/', '/api/health', '/api/session', '/nope.js', '/api/nope']) {
      const r = await session.fetch(`${s.origin}${path}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
  });

  it('without the built web app, / says to run npm run build (and holds no data)', async () => {
    const r = await fetch(`${s.origin}/`);
    expect(r.status).toBe(200);
    const html = await r.text();
    if (!existsSync(new URL('../../dist/web/index.html', import.meta.url)))
      expect(html).toContain('npm run build');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toContain(s.token);
  });

  it('bad input gets a clear error in the session language, never internals', async () => {
    const send = (path: string, body: string, method = 'POST') =>
      session.fetch(`${s.origin}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-mamori-csrf': session.csrf },
        body,
      });
    const broken = await send('/api/cases', '{"id": ');
    expect(broken.status).toBe(400);
    expectCleanError(await broken.text(), 'server.bad-json');
    const bad = await send('/api/cases', JSON.stringify({ ...CASE, steps: 'x' }));
    expect(bad.status).toBe(422);
    const body = await bad.text();
    expectCleanError(body, 'server.invalid');
    expect(body).toMatch(/[ぁ-ん]/);
    const missing = await send(
      '/api/cases/C-404/events',
      JSON.stringify({ at: '2026-11-21', kind: 'noticed' }),
    );
    expect(missing.status).toBe(404);
    expectCleanError(await missing.text(), 'case.not-found');
    expect((await send('/api/cases', JSON.stringify(CASE))).status).toBe(201);
    const twice = await send('/api/cases', JSON.stringify(CASE));
    expect(twice.status).toBe(409);
    expectCleanError(await twice.text(), 'case.exists');
  });

  it('stops cleanly on SIGTERM, with a stream open, the store closed', async () => {
    const other = await serve();
    // An open alert stream (a page left open) does not hold the shutdown up.
    const l = await login(other.origin, other.url);
    const stream = await l.fetch(`${other.origin}/api/alerts/stream`);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: alerts');
    expect(await other.stop()).toBe(0);
    await reader.read().catch(() => null);
    expect(other.output().stdout).toContain('終了しました');
    // A closed SQLite store in WAL mode leaves no write-ahead log behind.
    expect(existsSync(join(other.home, 'mamori.db-wal'))).toBe(false);
  });
});

describe('the server in front of a store (in-process, real HTTP)', () => {
  it('a streamed upload over the limit is refused with 413 and stores nothing', async () => {
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'mamori-http-')), 'mamori.db'));
    const server = await inProcess(store, { maxBody: 64 * 1024 });
    try {
      const s = await login(server.origin, server.url);
      const big = JSON.stringify({
        file: 'x.csv',
        kind: 'test',
        lines: [],
        payments: [],
        refunds: [],
        charges: [],
        pad: 'x'.repeat(200_000),
      });
      const r = await s.fetch(`${server.origin}/api/ledger/imports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mamori-csrf': s.csrf },
        body: new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode(big));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(r.status).toBe(413);
      expectCleanError(await r.text(), 'server.too-large');
      expect(store.counts().imports).toBe(0);
    } finally {
      await server.close();
      store.close();
    }
  });

  it('an unexpected failure (the database gone) is a generic sentence, in English when asked', async () => {
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'mamori-http-')), 'mamori.db'));
    const server = await inProcess(store, { lang: 'en' });
    try {
      const s = await login(server.origin, server.url);
      store.close();
      const r = await s.fetch(`${server.origin}/api/ledger/counts`);
      expect(r.status).toBe(500);
      const body = await r.text();
      expectCleanError(body, 'server.internal');
      expect(body).toContain('restart mamori');
    } finally {
      await server.close();
    }
  });

  it('streams the watcher’s alerts as Server-Sent Events', async () => {
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'mamori-http-')), 'mamori.db'));
    const server = await inProcess(store, { alertPollMs: 50 });
    try {
      const s = await login(server.origin, server.url);
      const ac = new AbortController();
      const r = await s.fetch(`${server.origin}/api/alerts/stream`, { signal: ac.signal });
      expect(r.headers.get('content-type')).toContain('text/event-stream');
      const reader = r.body!.getReader();
      let seen = '';
      const until = async (what: string) => {
        while (!seen.includes(what)) seen += new TextDecoder().decode((await reader.read()).value);
      };
      await until('data: []');
      const fp = 'ab'.repeat(32);
      await store.recordWatched({
        source: 'imap://a@127.0.0.1:1/INBOX',
        cursor: { validity: '1', last: 1 },
        fingerprint: fp,
        event: {
          id: 'phishing-abababababababab',
          kind: 'phishing',
          at: '2026-11-19T11:00:00.000Z',
          source: { mailbox: 'INBOX', uid: '1', fingerprint: fp },
          verdict: 'phishing',
          brand: 'amazon-jp',
          subject: '至急',
        },
        alert: {
          id: 'phishing-abababababababab',
          kind: 'phishing',
          at: '2026-11-19T11:00:00.000Z',
          eventId: 'phishing-abababababababab',
          params: { subject: '至急' },
          evidence: [],
          situations: ['suspicious-mail'],
          shown: false,
          dismissed: false,
        },
      });
      await until('phishing-abababababababab');
      expect(seen).toContain('event: alerts');
      ac.abort();
    } finally {
      await server.close();
      store.close();
    }
  });
});
