import { describe, expect, it } from 'vitest';
import { WatchContext } from '#core/app/watch.ts';
import type { WatchEvent } from '#core/ports/watch.ts';
import { MemoryStore } from '#core/store/memory-store.ts';

const clock = { now: () => '2026-12-01T00:00:00Z', today: () => '2026-12-01' };

/** An order event on a day `n` days after 2020-01-01. */
function orderEvent(n: number): WatchEvent {
  const date = new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const id = `order-${String(n).padStart(16, '0')}`;
  return {
    id,
    kind: 'order',
    at: `${date}T09:00:00Z`,
    source: { mailbox: 'INBOX', uid: String(n), fingerprint: id.slice(6).padEnd(64, '0') },
    verdict: 'legitimate',
    brand: 'amazon-jp',
    subject: `ご注文の確認 ${n}`,
    order: {
      mailKind: 'order',
      orderId: `249-${String(n).padStart(7, '0')}-0000000`,
      date,
      items: ['品物'],
      total: 1000,
      currency: 'JPY',
      storefront: 'amazon-jp',
    },
  };
}

describe('the watcher keeps only the events near what it reads', () => {
  it('a catch-up over years answers from the window, and an out-of-order old mail reloads from the store', async () => {
    const store = new MemoryStore();
    const ctx = new WatchContext(store, clock);
    await ctx.eventsNear(['2020-01-01']); // starts the in-memory view from the (empty) store
    // Six years of one order a day, recorded as a catch-up records them (store, then context).
    for (let n = 0; n < 6 * 365; n++) {
      const e = orderEvent(n);
      await store.recordWatched({
        source: 'mbox:test',
        cursor: { validity: '1', last: n },
        fingerprint: e.source.fingerprint,
        event: e,
        alert: null,
      });
      ctx.recorded(e);
    }
    const recent = await ctx.eventsNear(['2025-06-01']);
    // 40 days either side, one a day.
    expect(recent.length).toBeGreaterThanOrEqual(79);
    expect(recent.length).toBeLessThanOrEqual(81);
    expect(
      recent.every((e) => Math.abs(Date.parse(e.order!.date) - Date.parse('2025-06-01')) <= 40 * 86_400_000),
    ).toBe(true);
    // A mail about 2020 arrives late: what was let go is read back from the store, nothing lost.
    const old = await ctx.eventsNear(['2020-02-01']);
    expect(old.map((e) => e.order!.date)).toContain('2020-01-01');
    expect(old.length).toBeGreaterThanOrEqual(70);
    // Order numbers are all still known, whatever the window.
    expect(ctx.orderIds.size).toBe(6 * 365);
  });
});
