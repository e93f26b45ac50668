import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import type { ImportRequest, OrderHistoryWire } from '#adapters/http-store/http-store.ts';
import { StoreBusyError } from '#adapters/store/store.ts';
import {
  TransferError,
  checkTransferWrite,
  checkAlert,
  checkCase,
  checkCharge,
  checkEvent,
  checkLine,
  checkPayment,
  checkRefund,
  checkWatchEvent,
  exportData,
  importData,
  isCaseId,
} from '#core/app/transfer.ts';
import type { Store } from '#core/ports/store.ts';
import type { WatchCursor, WatchRecord } from '#core/ports/watch.ts';
import type { Lang, Translator } from '#interfaces/i18n.ts';

/** The Content-Security-Policy of every response (docs/api.md says why each part is there). */
export const CSP = [
  "default-src 'self'",
  // WASM (SQLite in static mode, OCR of screenshots) needs to be compiled; no script is ever evaluated from text.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  // Workers only from the app's own files (the engine, SQLite's, OCR's): no blob: worker is ever made.
  "worker-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export const DEFAULT_MAX_BODY = 50 * 1024 * 1024;

export interface AppOptions {
  store: Store;
  /** Carried once by the printed URL, exchanged for the cookie. */
  token: string;
  /** The cookie's value: a second secret, so the token in the address bar's history opens nothing by itself. */
  session: string;
  csrf: string;
  /** The port listened on (known once listening). */
  port: () => number;
  lang: Lang;
  translators: Record<Lang, Translator>;
  /** The built web app (`dist/web/`), or null when it is not built. */
  webRoot: string | null;
  version: string;
  maxBody?: number;
  /** How often the alert stream looks for the watcher's new alerts (ms). */
  alertPollMs?: number;
}

/** An expected refusal: its status and message key (`server.*`, `transfer.*`). */
class Refusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 422 | 503,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

const same = (a: string | undefined, b: string): boolean => {
  if (a === undefined) return false;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The local server: the web app's files and the Store over HTTP, behind the checks of docs/api.md. */
export function createApp(o: AppOptions): Hono {
  const app = new Hono();
  const { store } = o;
  const maxBody = o.maxBody ?? DEFAULT_MAX_BODY;
  const cookieName = () => `mamori_${o.port()}`;
  const tr = () => o.translators[o.lang];

  const fail = (c: Context, r: Refusal) =>
    c.json({ error: { code: r.code, message: tr().t(r.code, r.params) } }, r.status);

  // Writes are queued: one at a time through the one connection (an import's staging must not interleave).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };

  // Every response: the headers that keep the page to itself.
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', CSP);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    c.res.headers.set('X-Frame-Options', 'DENY');
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  // DNS rebinding: a page of another site that made its name point to 127.0.0.1 still sends its own Host.
  app.use('*', async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const port = o.port();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return fail(c, new Refusal(421, 'server.host'));
    await next();
  });

  app.get('/api/health', (c) => c.json({ app: 'mamori', mode: 'served', version: o.version }));

  app.use('/api/*', async (c, next) => {
    if (!same(getCookie(c, cookieName()), o.session)) return fail(c, new Refusal(401, 'server.unauthorized'));
    if (STATE_CHANGING.has(c.req.method)) {
      const own = `http://${(c.req.header('host') ?? '').toLowerCase()}`;
      const origin = c.req.header('origin');
      const sameOrigin =
        origin !== undefined ? origin === own : c.req.header('sec-fetch-site') === 'same-origin';
      if (!sameOrigin) return fail(c, new Refusal(403, 'server.origin'));
      if (!same(c.req.header('x-mamori-csrf'), o.csrf)) return fail(c, new Refusal(403, 'server.csrf'));
      const hasBody =
        Number(c.req.header('content-length') ?? '0') > 0 || c.req.header('transfer-encoding') !== undefined;
      if (hasBody && !/^application\/json(\s*;|$)/i.test(c.req.header('content-type') ?? ''))
        return fail(c, new Refusal(415, 'server.content-type'));
    }
    await next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBody,
      onError: (c) => fail(c, new Refusal(413, 'server.too-large', { mb: Math.round(maxBody / 1048576) })),
    }),
  );

  const body = async (c: Context): Promise<unknown> => {
    try {
      return await c.req.json();
    } catch (e) {
      // The body limit's own refusal, passed through.
      if (e instanceof Error && e.name === 'BodyLimitError') throw e;
      throw new Refusal(400, 'server.bad-json');
    }
  };
  const checked = <T>(check: (v: unknown, where: string) => T, v: unknown, where: string): T => {
    try {
      return check(v, where);
    } catch (e) {
      if (e instanceof TransferError) throw new Refusal(422, 'server.invalid', { where: e.where || where });
      throw e;
    }
  };
  const list = (v: unknown, where: string): unknown[] => {
    if (!Array.isArray(v)) throw new Refusal(422, 'server.invalid', { where });
    return v;
  };
  const text = (v: unknown, where: string, max = 1000): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > max)
      throw new Refusal(422, 'server.invalid', { where });
    return v;
  };
  const caseIdOf = (c: Context): string => {
    const id = c.req.param('id');
    if (!isCaseId(id)) throw new Refusal(404, 'case.not-found');
    return id;
  };
  const needCase = async (id: string) => {
    if (!(await store.getCase(id))) throw new Refusal(404, 'case.not-found', { id });
  };

  app.get('/api/session', (c) => c.json({ csrf: o.csrf, lang: o.lang }));

  // ── The ledger
  app.post('/api/ledger/imports', async (c) => {
    const b = (await body(c)) as Partial<ImportRequest> | null;
    if (typeof b !== 'object' || b === null) throw new Refusal(422, 'server.invalid', { where: 'body' });
    const file = text(b.file, 'file');
    const kind = text(b.kind, 'kind', 100);
    const lines = list(b.lines, 'lines').map((x, i) => checked(checkLine, x, `lines[${i}]`));
    const payments = list(b.payments, 'payments').map((x, i) => checked(checkPayment, x, `payments[${i}]`));
    const refunds = list(b.refunds, 'refunds').map((x, i) => checked(checkRefund, x, `refunds[${i}]`));
    const charges = list(b.charges, 'charges').map((x, i) => checked(checkCharge, x, `charges[${i}]`));
    const r = await serial(() =>
      store.importFile(file, kind, async (sink) => {
        for (const l of lines) sink.line(l);
        for (const p of payments) sink.payment(p);
        for (const x of refunds) sink.refund(x);
        for (const x of charges) sink.charge(x);
      }),
    );
    return c.json(r);
  });
  app.get('/api/ledger', async (c) => c.json(await store.load()));
  app.get('/api/ledger/counts', async (c) => c.json(await store.counts()));
  app.get('/api/ledger/order-history', async (c) => {
    // The port gives `has`, not the list: the ids are read from the ledger itself.
    const [data, h] = await Promise.all([store.load(), store.orderHistory()]);
    const ids = [...new Set([...data.lines.map((l) => l.orderId), ...data.payments.map((p) => p.orderId)])];
    const wire: OrderHistoryWire = { ids, coverage: h.coverage };
    return c.json(wire);
  });

  // ── Cases
  app.get('/api/cases', async (c) =>
    c.req.query('only') === 'ids' ? c.json(await store.caseIds()) : c.json(await store.listCases()),
  );
  app.post('/api/cases', async (c) => {
    const k = checked(checkCase, await body(c), 'case');
    await serial(async () => {
      if (await store.getCase(k.id)) throw new Refusal(409, 'case.exists', { id: k.id });
      await store.createCase(k);
    });
    return c.json({ id: k.id }, 201);
  });
  app.get('/api/cases/:id', async (c) => {
    const k = await store.getCase(caseIdOf(c));
    if (!k) throw new Refusal(404, 'case.not-found');
    return c.json(k);
  });
  app.put('/api/cases/:id', async (c) => {
    const id = caseIdOf(c);
    const k = checked(checkCase, await body(c), 'case');
    if (k.id !== id) throw new Refusal(422, 'server.invalid', { where: 'case.id' });
    await serial(async () => {
      await needCase(id);
      await store.saveCase(k);
    });
    return c.json({ id });
  });
  app.get('/api/cases/:id/events', async (c) => {
    const id = caseIdOf(c);
    await needCase(id);
    return c.json(await store.events(id));
  });
  app.post('/api/cases/:id/events', async (c) => {
    const id = caseIdOf(c);
    const e = checked(checkEvent, await body(c), 'event');
    await serial(async () => {
      await needCase(id);
      await store.addEvent(id, e);
    });
    return c.json({ ok: true }, 201);
  });

  // ── The watcher's records
  const cursorOf = (v: unknown): WatchCursor => {
    const x = v as Partial<WatchCursor> | null;
    if (
      typeof x !== 'object' ||
      x === null ||
      typeof x.validity !== 'string' ||
      typeof x.last !== 'number' ||
      !Number.isFinite(x.last)
    )
      throw new Refusal(422, 'server.invalid', { where: 'cursor' });
    return { validity: x.validity, last: x.last };
  };
  app.get('/api/watch/cursor', async (c) =>
    c.json(await store.watchCursor(text(c.req.query('source'), 'source'))),
  );
  app.put('/api/watch/cursor', async (c) => {
    const source = text(c.req.query('source'), 'source');
    const cursor = cursorOf(await body(c));
    await serial(() => store.setWatchCursor(source, cursor));
    return c.json({ ok: true });
  });
  app.get('/api/watch/seen', async (c) =>
    c.json({ seen: await store.watchSeen(text(c.req.query('fingerprint'), 'fingerprint')) }),
  );
  app.post('/api/watch/records', async (c) => {
    const b = (await body(c)) as Partial<WatchRecord> | null;
    if (typeof b !== 'object' || b === null) throw new Refusal(422, 'server.invalid', { where: 'body' });
    const r: WatchRecord = {
      source: text(b.source, 'source'),
      cursor: cursorOf(b.cursor),
      fingerprint: text(b.fingerprint, 'fingerprint', 200),
      event: checked(checkWatchEvent, b.event, 'event'),
      alert: b.alert === null || b.alert === undefined ? null : checked(checkAlert, b.alert, 'alert'),
    };
    return c.json({ fresh: await serial(() => store.recordWatched(r)) });
  });
  app.get('/api/watch/events', async (c) => c.json(await store.watchEvents()));

  // ── Alerts
  app.get('/api/alerts', async (c) => c.json(await store.alerts({ all: c.req.query('all') === '1' })));
  app.post('/api/alerts/shown', async (c) => {
    const b = (await body(c)) as { ids?: unknown } | null;
    const ids = list(b?.ids, 'ids').map((x, i) => text(x, `ids[${i}]`, 200));
    await serial(() => store.markAlertsShown(ids));
    return c.json({ ok: true });
  });
  app.post('/api/alerts/:id/dismiss', async (c) => {
    const id = text(c.req.param('id'), 'id', 200);
    return c.json({ dismissed: await serial(() => store.dismissAlert(id)) });
  });
  // The watcher runs in another process and writes to the same SQLite file: the stream looks for changes.
  app.get('/api/alerts/stream', (c) =>
    streamSSE(c, async (stream) => {
      let last = '';
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      let beat = 0;
      while (!closed) {
        const now = JSON.stringify(await store.alerts());
        if (now !== last) {
          last = now;
          await stream.writeSSE({ event: 'alerts', data: now });
        } else if (++beat % 15 === 0) await stream.write(': keep-alive\n\n');
        await stream.sleep(o.alertPollMs ?? 1000);
      }
    }),
  );

  // ── Settings
  const keyOf = (c: Context) => text(c.req.param('key'), 'key', 200);
  app.get('/api/settings/:key', async (c) => {
    const key = keyOf(c);
    return c.json({ key, value: await store.getSetting(key) });
  });
  app.put('/api/settings/:key', async (c) => {
    const key = keyOf(c);
    const b = (await body(c)) as { value?: unknown } | null;
    const value = b?.value;
    if (typeof value !== 'string' || value.length > 100_000)
      throw new Refusal(422, 'server.invalid', { where: 'value' });
    await serial(() => store.setSetting(key, value));
    return c.json({ key, value });
  });

  // ── Moving data (one file for a case or everything)
  app.get('/api/transfer/export', async (c) => {
    const caseId = c.req.query('case');
    if (caseId !== undefined && !isCaseId(caseId)) throw new Refusal(404, 'case.not-found');
    const now = new Date().toISOString();
    const doc = await exportData(store, { ...(caseId ? { caseId } : {}), now });
    const name = `mamori-${caseId ?? 'all'}-${now.slice(0, 10)}.json`;
    c.header('Content-Disposition', `attachment; filename="${name}"`);
    return c.json(doc);
  });
  app.post('/api/transfer/import', async (c) => {
    const doc = await body(c);
    return c.json(await serial(() => importData(store, doc)));
  });
  // The served app's `applyTransfer` (src/adapters/http-store): one file's writes, in one transaction here.
  app.post('/api/transfer/apply', async (c) => {
    const w = checked((v) => checkTransferWrite(v), await body(c), 'body');
    return c.json(await serial(() => store.applyTransfer(w)));
  });

  app.all('/api/*', (c) => fail(c, new Refusal(404, 'server.not-found')));

  // ── The web app's files: no data in them, so they load without the cookie (the API needs it).
  app.get('/', async (c, next) => {
    const token = c.req.query('token');
    if (token === undefined) return next();
    if (!same(token, o.token)) {
      c.header('Content-Type', 'text/html; charset=utf-8');
      return c.body(page(tr(), 'server.page.bad-token'), 401);
    }
    setCookie(c, cookieName(), o.session, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    // The token leaves the address bar (and the history) at once.
    return c.redirect('/', 303);
  });
  const web = o.webRoot && existsSync(join(o.webRoot, 'index.html')) ? o.webRoot : null;
  if (web) {
    const files = serveStatic({
      root: web,
      onFound: (path, c) => {
        const name = path.split(/[\\/]/).pop() ?? '';
        if (/^(sw|service-worker)\.js$/.test(name)) {
          // A service worker must always be checked for updates, and may control the whole app.
          c.header('Cache-Control', 'no-cache');
          c.header('Service-Worker-Allowed', '/');
        } else if (/[\\/](assets|ocr[\\/][^\\/]+)[\\/]/.test(path)) {
          // Hashed assets, and the OCR files in their folder named by the versions: never changed in place.
          c.header('Cache-Control', 'public, max-age=31536000, immutable');
        } else c.header('Cache-Control', 'no-cache');
        if (name.endsWith('.webmanifest')) c.header('Content-Type', 'application/manifest+json');
      },
    });
    app.use('*', files);
    // The app's own routes (no file extension) are its page.
    app.get('*', async (c, next) => {
      if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
      return serveStatic({
        root: web,
        path: 'index.html',
        onFound: (_p, x) => x.header('Cache-Control', 'no-cache'),
      })(c, next);
    });
  } else {
    app.get('/', (c) => {
      c.header('Content-Type', 'text/html; charset=utf-8');
      return c.body(page(tr(), 'server.page.no-web'));
    });
  }
  app.notFound((c) => c.text(tr().t('server.not-found'), 404));

  // One handler for every error: expected refusals as their sentence, anything else as a generic one, never a
  // stack, a path or a database message.
  app.onError((err, c) => {
    if (err instanceof Refusal) return fail(c, err);
    if (err instanceof TransferError)
      return fail(
        c,
        new Refusal(422, `transfer.${err.code}`, {
          file: tr().t('transfer.the-file'),
          where: err.where,
          ...err.params,
        }),
      );
    if (err instanceof StoreBusyError) return fail(c, new Refusal(503, 'store.busy'));
    if (err instanceof Error && err.name === 'BodyLimitError')
      return fail(c, new Refusal(413, 'server.too-large', { mb: Math.round(maxBody / 1048576) }));
    if (process.env.MAMORI_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    return c.json({ error: { code: 'server.internal', message: tr().t('server.internal') } }, 500);
  });
  return app;
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** A page of one sentence (no script, no style: the CSP allows neither inline). */
function page(t: Translator, key: string): string {
  return `<!doctype html><html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>mamori</title></head><body><h1>mamori</h1><p>${escape(t.t(key))}</p></body></html>`;
}
