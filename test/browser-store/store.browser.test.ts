// The browser store inside Chromium, in a real dedicated Worker: the one Store contract against each backend, then
// what only a browser can show — data surviving a closed tab, all-or-nothing across a reopen, a full disk, a
// damaged file, a second tab, and forgetting everything.
import { afterAll, describe, expect, it, type RunnerTestCase } from 'vitest';
import { cdp } from 'vitest/browser';
import { parse } from 'yaml';
import { BROWSER_STORE_ERROR_CODES, type BrowserBackend } from '#adapters/browser-store/index.ts';
import type { CardCharge } from '#core/ledger/types.ts';
import en from '/data/messages/en-bstore.yaml?raw';
import ja from '/data/messages/ja-bstore.yaml?raw';
import { storeContract } from '../store/contract.ts';
import { RemoteError, StoreWorker, type RemoteStore } from './rpc.ts';

const run = Math.random().toString(36).slice(2, 8);
const worker = new StoreWorker();
const workers: StoreWorker[] = [worker];
const fresh = () => {
  const w = new StoreWorker();
  workers.push(w);
  return w;
};
afterAll(() => {
  for (const w of workers) w.terminate();
});

// Each contract test gets a new, empty store; every one of them must really be on the backend named.
const opened: Record<BrowserBackend, RemoteStore[]> = { opfs: [], indexeddb: [], memory: [] };
let n = 0;
for (const backend of ['opfs', 'indexeddb', 'memory'] as const) {
  storeContract(`browser (${backend})`, async () => {
    const s = await worker.open(`c-${run}-${n++}`, backend);
    opened[backend].push(s);
    return s;
  });
}

describe('the contract really ran', () => {
  it('every contract test ran and passed on each backend, on a store of that backend', async ({ task }) => {
    const suites = task.file.tasks.filter((t) => t.name.startsWith('Store contract: browser'));
    expect(suites.map((s) => s.name)).toEqual([
      'Store contract: browser (opfs)',
      'Store contract: browser (indexeddb)',
      'Store contract: browser (memory)',
    ]);
    for (const [i, backend] of (['opfs', 'indexeddb', 'memory'] as const).entries()) {
      const tests = (suites[i] as { tasks: RunnerTestCase[] }).tasks;
      expect(tests.length).toBeGreaterThanOrEqual(11);
      expect(tests.every((t) => t.result?.state === 'pass')).toBe(true);
      expect(opened[backend]).toHaveLength(tests.length);
      expect(opened[backend].every((s) => s.backend === backend)).toBe(true);
      expect(opened[backend].every((s) => s.persistent === (backend !== 'memory'))).toBe(true);
      await Promise.all(opened[backend].map((s) => s.closed));
    }
  });

  it('without a choice, Chromium gets OPFS', async () => {
    const s = await worker.open(`auto-${run}`);
    expect(s.backend).toBe('opfs');
    await s.forget();
  });
});

const charge = (key: string, date: string): CardCharge => ({
  key,
  date,
  description: 'AMAZON.CO.JP',
  amount: 1200,
  currency: 'JPY',
  cardholder: null,
  layout: 'test',
  source: { file: 'card.csv', row: 2 },
});

// Text that does not compress (Chromium compresses what IndexedDB stores).
const noise = (n: number) => {
  let s = '';
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
};

const remoteError = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as RemoteError,
  );

describe.each(['opfs', 'indexeddb'] as const)('the %s store across page loads', (backend) => {
  it('keeps what was stored after the worker is gone (a closed tab), and an import that failed leaves nothing', async () => {
    const name = `p-${backend}-${run}`;
    const w1 = fresh();
    const a = await w1.open(name, backend);
    expect(a.backend).toBe(backend);
    expect(await a.importFile('ok.csv', 'test', async (k) => k.charge(charge('c1', '2026-10-01')))).toEqual({
      added: 1,
      unchanged: 0,
    });
    await a.setSetting('lang', 'en');
    const failed = await a
      .importFile('broken.csv', 'test', async (k) => {
        k.charge(charge('c2', '2026-10-02'));
        k.charge(charge('c3', '2026-10-03'));
        throw new Error('row 3 is damaged');
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe('row 3 is damaged');
    w1.terminate();

    const w2 = fresh();
    const b = await w2.open(name, backend);
    expect(b.backend).toBe(backend);
    expect(await b.counts()).toMatchObject({ charges: 1, imports: 1 });
    expect((await b.load()).charges.map((c) => c.key)).toEqual(['c1']);
    expect(await b.getSetting('lang')).toBe('en');
    // The failed file, imported again whole, is added whole.
    expect(
      await b.importFile('broken.csv', 'test', async (k) => {
        k.charge(charge('c2', '2026-10-02'));
        k.charge(charge('c3', '2026-10-03'));
      }),
    ).toEqual({ added: 2, unchanged: 0 });
    b.close();
    await b.closed;

    // Closed and opened again in the same worker, too.
    const c = await w2.open(name, backend);
    expect((await c.counts()).charges).toBe(3);
    const bytes = await c.bytes();
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('SQLite format 3');
    await c.forget();
    const d = await w2.open(name, backend);
    expect(await d.counts()).toMatchObject({ charges: 0, imports: 0 });
    await d.forget();
  });

  it('a second tab is refused with in-use, and gets the store once the first closes it', async () => {
    const name = `l-${backend}-${run}`;
    const a = await fresh().open(name, backend);
    const e = await remoteError(fresh().open(name, backend, 300));
    expect(e.code).toBe('in-use');
    expect(e.messageKey).toBe('store.browser.in-use');
    a.close();
    await a.closed;
    const b = await fresh().open(name, backend);
    expect(b.backend).toBe(backend);
    await b.forget();
  });
});

describe('a browser without OPFS', () => {
  it('falls back to the IndexedDB copy by itself, and says so', async () => {
    const name = `f-${run}`;
    const w = fresh();
    expect(await w.send({ op: 'hideOpfs' })).toBe(false);
    const s = await w.open(name);
    expect(s.backend).toBe('indexeddb');
    expect(s.persistent).toBe(true);
    await s.setSetting('lang', 'en');
    s.close();
    await s.closed;
    const again = await w.open(name);
    expect(again.backend).toBe('indexeddb');
    expect(await again.getSetting('lang')).toBe('en');
    const refused = await remoteError(w.open(`${name}-o`, 'opfs'));
    expect(refused.code).toBe('unavailable');
    await again.forget();
  });
});

describe('a browser that gains OPFS', () => {
  it('moves the IndexedDB copy into OPFS whole, then deletes the copy', async () => {
    const name = `m-${run}`;
    const w = fresh();
    const a = await w.open(name, 'indexeddb');
    await a.importFile('ok.csv', 'test', async (k) => {
      k.charge(charge('c1', '2026-10-01'));
      k.charge(charge('c2', '2026-10-02'));
    });
    await a.setSetting('lang', 'en');
    a.close();
    await a.closed;
    const b = await w.open(name);
    expect(b.backend).toBe('opfs');
    expect((await b.load()).charges.map((c) => c.key)).toEqual(['c1', 'c2']);
    expect(await b.getSetting('lang')).toBe('en');
    b.close();
    await b.closed;
    const copy = await w.open(name, 'indexeddb');
    expect(await copy.counts()).toMatchObject({ charges: 0, imports: 0 });
    copy.close();
    await copy.closed;
    const c = await w.open(name);
    expect((await c.counts()).charges).toBe(2);
    await c.forget();
  });
});

// Chromium's quota for this origin, lowered through the DevTools protocol: a real QuotaExceededError. IndexedDB reads
// the quota when its connection opens, so it is lowered before the store is opened.
describe.each(['opfs'] as const)('the %s store on a full disk', (backend) => {
  it('the write is refused with full, nothing of it is kept, and the store works again', async () => {
    const name = `q-${backend}-${run}`;
    const w = fresh();
    const session = cdp() as unknown as { send(method: string, params: object): Promise<unknown> };
    const origin = (globalThis as unknown as { location: { origin: string } }).location.origin;
    const usage = (await session.send('Storage.getUsageAndQuota', { origin })) as { usage: number };
    let e: RemoteError;
    let s: RemoteStore;
    await session.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage.usage + 1024 * 1024 });
    try {
      s = await w.open(name, backend);
      await s.importFile('small.csv', 'test', async (k) => k.charge(charge('c1', '2026-10-01')));
      await s.setSetting('lang', 'en');
      e = await remoteError(
        s.importFile('big.csv', 'test', async (k) => {
          for (let i = 0; i < 4000; i++)
            k.charge({ ...charge(`big-${i}`, '2026-10-05'), description: noise(400) });
        }),
      );
      expect(e.code).toBe('full');
      expect(e.messageKey).toBe('store.browser.full');
      expect(await s.counts()).toMatchObject({ charges: 1, imports: 1 });
      // A small write still fits, or is refused the same way: never half-kept.
      const small = await Promise.resolve(s.setSetting('lang', 'ja')).then(
        () => 'kept',
        (x: RemoteError) => x.code,
      );
      expect(['kept', 'full']).toContain(small);
      expect(await s.getSetting('lang')).toBe(small === 'kept' ? 'ja' : 'en');
    } finally {
      await session.send('Storage.overrideQuotaForOrigin', { origin });
    }
    s.close();
    await s.closed;
    const again = await w.open(name, backend);
    expect(await again.counts()).toMatchObject({ charges: 1, imports: 1 });
    expect((await again.load()).charges.map((c) => c.key)).toEqual(['c1']);
    expect(
      await again.importFile('next.csv', 'test', async (k) => k.charge(charge('c2', '2026-10-02'))),
    ).toEqual({ added: 1, unchanged: 0 });
    await again.forget();
  });
});

describe('a damaged OPFS database', () => {
  it('opens with corrupt (never half-read), and forgetting it leaves nothing on the device', async () => {
    const name = `x-${run}`;
    const w = fresh();
    const s = await w.open(name, 'opfs');
    await s.importFile('ok.csv', 'test', async (k) => {
      for (let i = 0; i < 200; i++) k.charge(charge(`c${i}`, '2026-10-01'));
    });
    s.close();
    await s.closed;
    await fresh().send({ op: 'corrupt', name });
    const e = await remoteError(w.open(name, 'opfs'));
    expect(e.code).toBe('corrupt');
    expect(e.messageKey).toBe('store.browser.corrupt');
    expect(await w.send<string[]>({ op: 'opfsDirs' })).toContain(`.mamori-sahpool-${name}`);
    await w.send({ op: 'forgetByName', name });
    expect(await w.send<string[]>({ op: 'opfsDirs' })).not.toContain(`.mamori-sahpool-${name}`);
    const back = await w.open(name, 'opfs');
    expect(await back.counts()).toMatchObject({ charges: 0 });
    await back.forget();
  });
});

describe('what the page says', () => {
  it('every error code and backend has its sentence in ja and en', () => {
    for (const raw of [ja, en]) {
      const text = (parse(raw) as { text: Record<string, string> }).text;
      for (const code of BROWSER_STORE_ERROR_CODES) expect(text[`store.browser.${code}`]).toBeTruthy();
      for (const b of ['opfs', 'indexeddb', 'memory'])
        expect(text[`store.browser.backend.${b}`]).toBeTruthy();
    }
  });
});
