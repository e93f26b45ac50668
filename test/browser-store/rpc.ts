// The page's side: a Store whose every call runs in the Worker's real store. An import's fill runs here, as the
// caller wrote it; its records (and the error it threw, if it threw) are replayed into the real sink there, so
// all-or-nothing is the real store's.
import type { BrowserBackend } from '#adapters/browser-store/index.ts';
import { orderHistoryFrom, type OrderHistory } from '#core/check/orders.ts';
import type { ImportCount, RecordSink, Store } from '#core/ports/store.ts';
import type { Opened, Reply, Request, Staged } from './protocol.ts';

interface WorkerLike {
  postMessage(m: unknown): void;
  onmessage: ((ev: { data: Reply }) => void) | null;
  terminate(): void;
}
type WorkerCtor = new (url: URL, opts: { type: 'module' }) => WorkerLike;

/** The error a store threw in the Worker, as the page sees it. */
export class RemoteError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
    readonly code?: string,
    readonly messageKey?: string,
  ) {
    super(message);
  }
}

export class StoreWorker {
  private readonly worker: WorkerLike;
  private readonly pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  private next = 1;

  constructor() {
    const W = (globalThis as unknown as { Worker: WorkerCtor }).Worker;
    this.worker = new W(new URL('./store-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.ok) p.ok(data.value);
      else
        p.fail(new RemoteError(data.error.name, data.error.message, data.error.code, data.error.messageKey));
    };
  }

  send<T>(req: Request): Promise<T> {
    const id = this.next++;
    return new Promise<T>((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.worker.postMessage({ id, req });
    });
  }

  async open(name: string, backend?: BrowserBackend, lockWaitMs?: number): Promise<RemoteStore> {
    const o = await this.send<Opened>({
      op: 'open',
      name,
      ...(backend ? { backend } : {}),
      ...(lockWaitMs ? { lockWaitMs } : {}),
    });
    return new RemoteStore(this, o);
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.fail(new Error('worker terminated'));
    this.pending.clear();
  }
}

export class RemoteStore implements Store {
  readonly location: string;
  readonly backend: BrowserBackend;
  readonly persistent: boolean;
  /** Set by `close`: what the Worker answered (a close that failed must fail the test). */
  closed: Promise<unknown> | undefined;

  constructor(
    private readonly w: StoreWorker,
    private readonly o: Opened,
  ) {
    this.location = o.location;
    this.backend = o.backend;
    this.persistent = o.persistent;
  }

  private remote<K extends keyof Store>(method: K): Store[K] {
    return ((...args: unknown[]) =>
      this.w.send({ op: 'call', handle: this.o.handle, method, args })) as unknown as Store[K];
  }

  load = this.remote('load');
  counts = this.remote('counts');
  createCase = this.remote('createCase');
  saveCase = this.remote('saveCase');
  getCase = this.remote('getCase');
  caseIds = this.remote('caseIds');
  listCases = this.remote('listCases');
  addEvent = this.remote('addEvent');
  events = this.remote('events');
  watchCursor = this.remote('watchCursor');
  setWatchCursor = this.remote('setWatchCursor');
  watchSeen = this.remote('watchSeen');
  recordWatched = this.remote('recordWatched');
  watchEvents = this.remote('watchEvents');
  alerts = this.remote('alerts');
  markAlertsShown = this.remote('markAlertsShown');
  dismissAlert = this.remote('dismissAlert');
  getSetting = this.remote('getSetting');
  setSetting = this.remote('setSetting');
  applyTransfer = this.remote('applyTransfer');

  async importFile(
    file: string,
    kind: string,
    fill: (sink: RecordSink) => Promise<void>,
  ): Promise<ImportCount> {
    const records: Staged[] = [];
    let error: string | undefined;
    try {
      await fill({
        line: (r) => void records.push(['line', r]),
        payment: (r) => void records.push(['payment', r]),
        refund: (r) => void records.push(['refund', r]),
        charge: (r) => void records.push(['charge', r]),
      });
    } catch (e) {
      error = (e as Error).message;
    }
    return this.w.send<ImportCount>({
      op: 'import',
      handle: this.o.handle,
      file,
      kind,
      records,
      ...(error !== undefined ? { error } : {}),
    });
  }

  async orderHistory(): Promise<OrderHistory> {
    const d = await this.w.send<{ ids: string[]; coverage: { from: string; to: string } | null }>({
      op: 'call',
      handle: this.o.handle,
      method: 'orderHistory',
      args: [],
    });
    return orderHistoryFrom(d.ids, d.coverage);
  }

  bytes(): Promise<Uint8Array> {
    return this.w.send({ op: 'bytes', handle: this.o.handle });
  }

  forget(): Promise<void> {
    return this.w.send({ op: 'forget', handle: this.o.handle });
  }

  close(): void {
    this.closed = this.w.send({ op: 'close', handle: this.o.handle });
  }
}
