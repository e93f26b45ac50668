// IndexedDB on a full disk, in a file of its own: Chromium reads an origin's IndexedDB quota when the origin first
// opens IndexedDB, so the quota is lowered before any store of this page opens (the OPFS case is in
// store.browser.test.ts).
import { describe, expect, it } from 'vitest';
import { cdp } from 'vitest/browser';
import type { CardCharge } from '#core/ledger/types.ts';
import { StoreWorker, type RemoteError, type RemoteStore } from './rpc.ts';

const run = Math.random().toString(36).slice(2, 8);
const fresh = () => new StoreWorker();
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

describe.each(['indexeddb'] as const)('the %s store on a full disk', (backend) => {
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
