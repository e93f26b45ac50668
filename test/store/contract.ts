import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '#core/case/case.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type { RecordSink, Store, TransferWrite } from '#core/ports/store.ts';
import type { WatchAlert, WatchEvent } from '#core/ports/watch.ts';

const line = (orderId: string, n: number, orderAt = '2026-10-01T12:00'): OrderLine => ({
  key: `line|${orderId}|${n}`,
  orderId,
  storefront: 'amazon-jp',
  kind: 'physical',
  orderAt,
  shipDate: orderAt.slice(0, 10),
  name: `品物 ${n}`,
  asin: null,
  quantity: 1,
  amount: 1000 * n,
  currency: 'JPY',
  status: 'ok',
  payment: null,
  shipTo: null,
  seller: null,
  category: null,
  giftTo: null,
  source: { file: 'orders.csv', row: n + 1 },
});
const charge = (key: string, date: string, amount = 1000): CardCharge => ({
  key,
  date,
  description: 'AMAZON.CO.JP',
  amount,
  currency: 'JPY',
  cardholder: null,
  layout: 'test',
  source: { file: 'card.csv', row: 2 },
});
const payment = (orderId: string): OrderPayment => ({
  key: `pay|${orderId}`,
  orderId,
  date: '2026-09-01',
  amount: 500,
  currency: 'JPY',
  method: null,
  source: { file: 'ext.csv', row: 2 },
});
const refund = (orderId: string): Refund => ({
  key: `refund|${orderId}`,
  orderId,
  date: '2026-10-05',
  amount: 1000,
  currency: 'JPY',
  source: { file: 'refunds.csv', row: 2 },
});
const kase = (id: string, created: string): CaseRecord => ({
  id,
  created,
  title: 'テスト',
  region: 'jp',
  situations: ['unknown-charge'],
  noticed: created.slice(0, 10),
  contact: { name: '山田 太郎' },
  mails: [],
  charges: [],
  steps: {},
});

const fillWith =
  (f: (s: RecordSink) => void) =>
  async (s: RecordSink): Promise<void> => {
    f(s);
  };

/** The behaviour every Store must have. `make` gives a fresh, empty store. */
export function storeContract(name: string, make: () => Store | Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const withStore = (fn: (s: Store) => Promise<void>) => async () => {
      const s = await make();
      try {
        await fn(s);
      } finally {
        s.close();
      }
    };

    it(
      'an empty store reads as empty',
      withStore(async (s) => {
        expect(await s.counts()).toEqual({ lines: 0, orders: 0, charges: 0, refunds: 0, imports: 0 });
        expect(await s.load()).toEqual({ lines: [], payments: [], refunds: [], charges: [] });
        expect((await s.orderHistory()).knows).toBe(false);
        expect(await s.listCases()).toEqual([]);
        expect(await s.caseIds()).toEqual([]);
        expect(await s.getCase('C-1')).toBeNull();
        expect(await s.events('C-1')).toEqual([]);
        expect(await s.getSetting('lang')).toBeNull();
      }),
    );

    it(
      'importing the same records twice adds nothing the second time',
      withStore(async (s) => {
        const fill = fillWith((k) => {
          k.line(line('249-0000000-0000001', 1));
          k.line(line('249-0000000-0000001', 2));
          k.charge(charge('c1', '2026-10-02'));
          k.refund(refund('249-0000000-0000001'));
          k.payment(payment('249-0000000-0000001'));
        });
        expect(await s.importFile('a.zip', 'test', fill)).toEqual({ added: 5, unchanged: 0 });
        const before = await s.counts();
        expect(await s.importFile('a.zip', 'test', fill)).toEqual({ added: 0, unchanged: 5 });
        expect(await s.counts()).toEqual(before);
        expect(before).toEqual({ lines: 2, orders: 1, charges: 1, refunds: 1, imports: 1 });
      }),
    );

    it(
      'a cumulative export adds only what is new; repeats inside one file count once',
      withStore(async (s) => {
        await s.importFile(
          'oct',
          'test',
          fillWith((k) => k.line(line('249-0000000-0000001', 1))),
        );
        const nov = fillWith((k) => {
          k.line(line('249-0000000-0000001', 1));
          k.line(line('249-0000000-0000002', 1));
          k.line(line('249-0000000-0000002', 1));
        });
        expect(await s.importFile('nov', 'test', nov)).toEqual({ added: 1, unchanged: 2 });
        expect((await s.counts()).orders).toBe(2);
        expect((await s.counts()).imports).toBe(2);
      }),
    );

    it(
      'a fill that throws leaves nothing behind, and the store stays usable',
      withStore(async (s) => {
        await s.importFile(
          'ok',
          'test',
          fillWith((k) => k.charge(charge('c0', '2026-10-01'))),
        );
        const before = await s.counts();
        const err = await s
          .importFile('broken', 'test', async (k) => {
            k.charge(charge('c1', '2026-10-02'));
            k.line(line('249-0000000-0000009', 1));
            await Promise.resolve();
            throw new Error('disk full');
          })
          .catch((e: Error) => e.message);
        expect(err).toBe('disk full');
        expect(await s.counts()).toEqual(before);
        expect((await s.orderHistory()).has('249-0000000-0000009')).toBe(false);
        expect(
          await s.importFile(
            'again',
            'test',
            fillWith((k) => k.charge(charge('c1', '2026-10-02'))),
          ),
        ).toEqual({ added: 1, unchanged: 0 });
      }),
    );

    it(
      'keeps import order for lines, and date-then-import order for charges',
      withStore(async (s) => {
        await s.importFile(
          'one',
          'test',
          fillWith((k) => {
            k.line(line('249-0000000-0000003', 1));
            k.line(line('249-0000000-0000001', 1));
            k.charge(charge('z', '2026-10-05'));
            k.charge(charge('y', '2026-10-01'));
          }),
        );
        await s.importFile(
          'two',
          'test',
          fillWith((k) => {
            k.line(line('249-0000000-0000002', 1));
            k.charge(charge('a', '2026-10-05'));
            k.charge(charge('b', '2026-09-30'));
          }),
        );
        const data = await s.load();
        expect(data.lines.map((l) => l.orderId)).toEqual([
          '249-0000000-0000003',
          '249-0000000-0000001',
          '249-0000000-0000002',
        ]);
        expect(data.charges.map((c) => c.key)).toEqual(['b', 'y', 'z', 'a']);
        expect(data.lines[0]).toEqual(line('249-0000000-0000003', 1));
      }),
    );

    it(
      'order history: ids from lines and export payments, coverage from the lines',
      withStore(async (s) => {
        await s.importFile(
          'x',
          'test',
          fillWith((k) => {
            k.line(line('249-0000000-0000001', 1, '2026-03-04T09:00'));
            k.line(line('249-0000000-0000002', 1, '2026-11-20T23:59'));
            k.payment(payment('249-0000000-0000003'));
          }),
        );
        const h = await s.orderHistory();
        expect(h.knows).toBe(true);
        for (const id of ['249-0000000-0000001', '249-0000000-0000002', '249-0000000-0000003'])
          expect(h.has(id)).toBe(true);
        expect(h.has('249-9999999-9999999')).toBe(false);
        expect(h.coverage).toEqual({ from: '2026-03-04', to: '2026-11-20' });
      }),
    );

    it(
      'cases round-trip, are listed by creation then id, and are never live references',
      withStore(async (s) => {
        await s.createCase(kase('C-20261121-2', '2026-11-21T00:00:00.000Z'));
        await s.createCase(kase('C-20261121-1', '2026-11-21T00:00:00.000Z'));
        await s.createCase(kase('C-20261120-1', '2026-11-20T00:00:00.000Z'));
        expect(await s.caseIds()).toEqual(['C-20261120-1', 'C-20261121-1', 'C-20261121-2']);
        expect((await s.listCases()).map((c) => c.id)).toEqual(await s.caseIds());
        const c = (await s.getCase('C-20261121-1'))!;
        expect(c).toEqual(kase('C-20261121-1', '2026-11-21T00:00:00.000Z'));
        c.title = 'changed but not saved';
        expect((await s.getCase('C-20261121-1'))!.title).toBe('テスト');
        c.steps['card-stop'] = { status: 'done', at: '2026-11-21T01:00:00.000Z', note: '受付番号 A-123' };
        await s.saveCase(c);
        expect(await s.getCase('C-20261121-1')).toEqual(c);
      }),
    );

    it(
      'refuses a duplicate case id, saving or adding events to a case that does not exist',
      withStore(async (s) => {
        await s.createCase(kase('C-1', '2026-11-21T00:00:00.000Z'));
        await expect(async () => s.createCase(kase('C-1', '2026-11-22T00:00:00.000Z'))).rejects.toThrow();
        await expect(async () => s.saveCase(kase('C-2', '2026-11-21T00:00:00.000Z'))).rejects.toThrow();
        await expect(async () => s.addEvent('C-2', { at: '2026-11-21', kind: 'noticed' })).rejects.toThrow();
        expect(await s.caseIds()).toEqual(['C-1']);
      }),
    );

    it(
      'events come back by date, then in the order they were added',
      withStore(async (s) => {
        await s.createCase(kase('C-1', '2026-11-21T00:00:00.000Z'));
        await s.createCase(kase('C-2', '2026-11-21T00:00:00.000Z'));
        await s.addEvent('C-1', { at: '2026-11-21', kind: 'card-stopped', note: 'first' });
        await s.addEvent('C-1', { at: '2026-11-20', kind: 'noticed' });
        await s.addEvent('C-1', { at: '2026-11-21', kind: 'other', note: 'second' });
        await s.addEvent('C-2', { at: '2026-11-19', kind: 'noticed' });
        expect((await s.events('C-1')).map((e) => e.note ?? e.kind)).toEqual(['noticed', 'first', 'second']);
        expect(await s.events('C-2')).toEqual([{ at: '2026-11-19', kind: 'noticed' }]);
      }),
    );

    it(
      'settings: a value per key, overwritten',
      withStore(async (s) => {
        await s.setSetting('lang', 'en');
        await s.setSetting('region', 'jp');
        await s.setSetting('lang', 'ja');
        expect(await s.getSetting('lang')).toBe('ja');
        expect(await s.getSetting('region')).toBe('jp');
        expect(await s.getSetting('missing')).toBeNull();
      }),
    );

    it(
      'watch: cursors, seen mails, events and alerts; a mail recorded twice is kept once',
      withStore(async (s) => {
        const src = 'imap://alice@127.0.0.1:1/INBOX';
        expect(await s.watchCursor(src)).toBeNull();
        expect(await s.alerts()).toEqual([]);
        const ref = { mailbox: src, uid: '7', fingerprint: 'ab'.repeat(32) };
        const event: WatchEvent = {
          id: 'phishing-abababababababab',
          kind: 'phishing',
          at: '2026-11-19T11:00:00.000Z',
          source: ref,
          verdict: 'phishing',
          brand: 'amazon-jp',
          subject: '至急',
        };
        const alert: WatchAlert = {
          id: 'phishing-abababababababab',
          kind: 'phishing',
          at: event.at,
          eventId: event.id,
          params: { subject: '至急' },
          evidence: ['link.lookalike-host'],
          situations: ['suspicious-mail'],
          shown: false,
          dismissed: false,
        };
        const rec = {
          source: src,
          cursor: { validity: '42', last: 7 },
          fingerprint: ref.fingerprint,
          event,
          alert,
        };
        expect(await s.recordWatched(rec)).toBe(true);
        expect(await s.recordWatched({ ...rec, cursor: { validity: '43', last: 1 } })).toBe(false);
        expect(await s.watchCursor(src)).toEqual({ validity: '43', last: 1 });
        expect(await s.watchSeen(ref.fingerprint)).toBe(true);
        expect(await s.watchSeen('cd'.repeat(32))).toBe(false);
        expect(await s.watchEvents()).toEqual([event]);
        expect(await s.alerts()).toEqual([alert]);
        await s.markAlertsShown([alert.id]);
        expect((await s.alerts())[0]!.shown).toBe(true);
        expect(await s.dismissAlert(alert.id)).toBe(true);
        expect(await s.dismissAlert('nope')).toBe(false);
        expect(await s.alerts()).toEqual([]);
        expect((await s.alerts({ all: true })).map((a) => [a.id, a.dismissed])).toEqual([[alert.id, true]]);
        await s.setWatchCursor(src, { validity: '43', last: 9 });
        expect(await s.watchCursor(src)).toEqual({ validity: '43', last: 9 });
      }),
    );
    it(
      'a transfer write is all or nothing: one that fails half-way leaves nothing of it; one that works writes it all',
      withStore(async (s) => {
        await s.createCase(kase('C-1', '2026-11-01T00:00:00.000Z'));
        await s.setSetting('mail.provider', 'icloud');
        const state = async () => ({
          counts: await s.counts(),
          ledger: await s.load(),
          cases: await s.listCases(),
          events: await s.events('C-2'),
          watch: await s.watchEvents(),
          seen: await s.watchSeen('f'.repeat(64)),
          cursor: await s.watchCursor('import:test'),
          setting: await s.getSetting('web.brand.C-2'),
        });
        const before = await state();
        const event: WatchEvent = {
          id: 'phishing-ffff',
          kind: 'phishing',
          at: '2026-11-19T11:00:00.000Z',
          source: { mailbox: 'imap://a@x/INBOX', uid: '7', fingerprint: 'f'.repeat(64) },
          verdict: 'phishing',
          brand: 'amazon-jp',
          subject: '至急',
        };
        const alert: WatchAlert = {
          id: event.id,
          kind: 'phishing',
          at: event.at,
          eventId: event.id,
          params: {},
          evidence: [],
          situations: [],
          shown: true,
          dismissed: false,
        };
        const write = (cases: CaseRecord[]): TransferWrite => ({
          ledger: {
            file: 'transfer',
            kind: 'mamori-transfer',
            records: {
              lines: [line('249-1', 1)],
              payments: [payment('249-1')],
              refunds: [],
              charges: [charge('c1', '2026-11-02')],
            },
          },
          cases,
          events: [{ caseId: 'C-2', event: { at: '2026-11-20', kind: 'noticed' } }],
          watch: [
            {
              source: 'import:test',
              cursor: { validity: 'import', last: 1 },
              fingerprint: 'f'.repeat(64),
              event,
              alert,
            },
          ],
          settings: [{ key: 'web.brand.C-2', value: 'jcb' }],
        });
        // C-1 is taken: the write fails after the ledger and C-2 were written in it.
        await expect(
          s.applyTransfer(
            write([kase('C-2', '2026-11-02T00:00:00.000Z'), kase('C-1', '2026-11-03T00:00:00.000Z')]),
          ),
        ).rejects.toThrow();
        expect(await state()).toEqual(before);
        const done = await s.applyTransfer(write([kase('C-2', '2026-11-02T00:00:00.000Z')]));
        expect(done).toEqual({ ledger: { added: 3, unchanged: 0 }, watchAdded: 1 });
        expect((await s.counts()).imports).toBe(1);
        expect(await s.caseIds()).toEqual(['C-1', 'C-2']);
        expect((await s.events('C-2')).map((e) => e.kind)).toEqual(['noticed']);
        expect((await s.alerts({ all: true })).map((a) => [a.id, a.shown, a.dismissed])).toEqual([
          ['phishing-ffff', true, false],
        ]);
        expect(await s.getSetting('web.brand.C-2')).toBe('jcb');
        expect(await s.getSetting('mail.provider')).toBe('icloud');
        // Nothing new: no import recorded, the mail seen already.
        const again = await s.applyTransfer({ ...write([]), events: [] });
        expect(again).toEqual({ ledger: { added: 0, unchanged: 3 }, watchAdded: 0 });
        expect((await s.counts()).imports).toBe(1);
      }),
    );
  });
}
