import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import { orderHistoryFrom, type OrderHistory } from '#core/check/orders.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type {
  ImportCount,
  RecordSink,
  Store,
  StoreCounts,
  StoredLedger,
  TransferWrite,
  TransferWritten,
} from '#core/ports/store.ts';
import type { WatchAlert, WatchCursor, WatchEvent, WatchRecord } from '#core/ports/watch.ts';

/** The body of `POST /api/ledger/imports`: one `importFile`, its records gathered by the client. */
export interface ImportRequest {
  file: string;
  kind: string;
  lines: OrderLine[];
  payments: OrderPayment[];
  refunds: Refund[];
  charges: CardCharge[];
}

/** `GET /api/ledger/order-history`: the history as data (the port's `has` is rebuilt on the client). */
export interface OrderHistoryWire {
  ids: string[];
  coverage: { from: string; to: string } | null;
}

/** An error the server answered with (`{ error: { code, message } }`); `message` is in the session's language. */
export class HttpStoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStoreError';
  }
}

export interface HttpStoreOptions {
  /** The server's origin (`http://127.0.0.1:PORT`), or '' for the page's own. */
  baseUrl: string;
  fetch: typeof fetch;
  /** The value of `GET /api/session`'s `csrf`, sent with every change. */
  csrf: string;
}

const enc = encodeURIComponent;

/**
 * The Store port over the local server's API (docs/api.md). Browser-safe: only `fetch`. The session cookie goes
 * with every request (same origin); every change carries the CSRF header.
 */
export function createHttpStore(opts: HttpStoreOptions): Store {
  const base = opts.baseUrl.replace(/\/+$/, '');
  // Called on its own, never as `opts.fetch(…)`: a browser's fetch throws when `this` is not the global object.
  const doFetch = opts.fetch;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-mamori-csrf'] = opts.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(`${base}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const e = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new HttpStoreError(
        res.status,
        typeof e?.code === 'string' ? e.code : `http-${res.status}`,
        typeof e?.message === 'string' ? e.message : `HTTP ${res.status}`,
      );
    }
    return data as T;
  };

  return {
    location: `${base || ''}/api`,

    async importFile(file, kind, fill): Promise<ImportCount> {
      const req: ImportRequest = { file, kind, lines: [], payments: [], refunds: [], charges: [] };
      const sink: RecordSink = {
        line: (l) => void req.lines.push(l),
        payment: (p) => void req.payments.push(p),
        refund: (r) => void req.refunds.push(r),
        charge: (c) => void req.charges.push(c),
      };
      // A fill that throws sends nothing: nothing of it reaches the store.
      await fill(sink);
      return call<ImportCount>('POST', '/api/ledger/imports', req);
    },
    load: () => call<StoredLedger>('GET', '/api/ledger'),
    counts: () => call<StoreCounts>('GET', '/api/ledger/counts'),
    async orderHistory(): Promise<OrderHistory> {
      const h = await call<OrderHistoryWire>('GET', '/api/ledger/order-history');
      return orderHistoryFrom(h.ids, h.coverage);
    },

    createCase: (c: CaseRecord) => call<void>('POST', '/api/cases', c).then(() => undefined),
    saveCase: (c: CaseRecord) => call<void>('PUT', `/api/cases/${enc(c.id)}`, c).then(() => undefined),
    async getCase(id) {
      try {
        return await call<CaseRecord>('GET', `/api/cases/${enc(id)}`);
      } catch (e) {
        if (e instanceof HttpStoreError && e.status === 404 && e.code === 'case.not-found') return null;
        throw e;
      }
    },
    caseIds: () => call<string[]>('GET', '/api/cases?only=ids'),
    listCases: () => call<CaseRecord[]>('GET', '/api/cases'),
    addEvent: (caseId: string, e: CaseEvent) =>
      call<void>('POST', `/api/cases/${enc(caseId)}/events`, e).then(() => undefined),
    async events(caseId) {
      try {
        return await call<CaseEvent[]>('GET', `/api/cases/${enc(caseId)}/events`);
      } catch (e) {
        if (e instanceof HttpStoreError && e.status === 404 && e.code === 'case.not-found') return [];
        throw e;
      }
    },

    watchCursor: (source) => call<WatchCursor | null>('GET', `/api/watch/cursor?source=${enc(source)}`),
    setWatchCursor: (source, cursor) =>
      call<void>('PUT', `/api/watch/cursor?source=${enc(source)}`, cursor).then(() => undefined),
    watchSeen: (fingerprint) =>
      call<{ seen: boolean }>('GET', `/api/watch/seen?fingerprint=${enc(fingerprint)}`).then((r) => r.seen),
    recordWatched: (r: WatchRecord) =>
      call<{ fresh: boolean }>('POST', '/api/watch/records', r).then((x) => x.fresh),
    watchEvents: () => call<WatchEvent[]>('GET', '/api/watch/events'),
    alerts: (o) => call<WatchAlert[]>('GET', o?.all ? '/api/alerts?all=1' : '/api/alerts'),
    markAlertsShown: (ids) => call<void>('POST', '/api/alerts/shown', { ids }).then(() => undefined),
    dismissAlert: (id) =>
      call<{ dismissed: boolean }>('POST', `/api/alerts/${enc(id)}/dismiss`).then((r) => r.dismissed),

    // One request: the server writes it in one transaction.
    applyTransfer: (w: TransferWrite) => call<TransferWritten>('POST', '/api/transfer/apply', w),

    getSetting: (key) =>
      call<{ value: string | null }>('GET', `/api/settings/${enc(key)}`).then((r) => r.value),
    setSetting: (key, value) =>
      call<void>('PUT', `/api/settings/${enc(key)}`, { value }).then(() => undefined),

    // Nothing to release: the server owns the store and closes it when it stops.
    close: () => {},
  };
}
