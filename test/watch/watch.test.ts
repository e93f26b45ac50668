import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadNotices } from '#adapters/knowledge/notices-load.ts';
import { MaildirWatchSource, MboxWatchSource } from '#adapters/mailbox/index.ts';
import { watchMailbox, type WatchDeps, type WatchOutcome } from '#core/app/watch.ts';
import type { Alert } from '#core/ports/notifier.ts';
import type { WatchCursor, WatchedMail, WatchSource } from '#core/ports/watch.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { repoRoot } from '../helpers/cli.ts';
import { jcbNotice, newOrderMail, orderMail, phishingMail } from './mails.ts';

const knowledge = loadKnowledge();
const clock = { today: () => '2026-11-19', now: () => '2026-11-19T11:00:00.000Z' };
const genuine = (f: string) => readFileSync(`${repoRoot}/test/fixtures/mail/genuine/${f}`);

/** Mails in memory as a WatchSource; the cursor is the index. */
function memorySource(mails: Buffer[], key = 'memory:test'): WatchSource {
  return {
    key,
    async *mails(cursor: WatchCursor | null): AsyncGenerator<WatchedMail> {
      for (let i = cursor?.last ?? 0; i < mails.length; i++)
        yield { uid: String(i + 1), bytes: mails[i]!, cursor: { validity: '1', last: i + 1 } };
    },
    close() {},
  };
}

const deps = (store: MemoryStore, told: Alert[] = []): WatchDeps => ({
  store,
  knowledge: { check: knowledge, ledger: knowledge, notices: loadNotices() },
  clock,
  notifier: { notify: (a) => told.push(a) },
});

async function run(source: WatchSource, d: WatchDeps): Promise<WatchOutcome[]> {
  const out: WatchOutcome[] = [];
  for await (const o of watchMailbox(source, d)) out.push(o);
  return out;
}

/** The genuine order mail with its provider's results turned to failures: a phishing copy. */
const forgedOrder = () =>
  Buffer.from(
    orderMail()
      .toString('latin1')
      .replace(/dkim=pass/g, 'dkim=fail')
      .replace('spf=pass', 'spf=fail')
      .replace('dmarc=pass', 'dmarc=fail'),
    'latin1',
  );

const importedLine = {
  key: 'l-imported',
  orderId: '',
  storefront: 'amazon-jp' as const,
  kind: 'physical' as const,
  orderAt: '2026-11-19T08:00',
  shipDate: null,
  name: 'ノート',
  asin: null,
  quantity: 1,
  amount: 1290,
  currency: 'JPY' as const,
  status: 'ok' as const,
  payment: null,
  shipTo: null,
  seller: null,
  category: null,
  giftTo: null,
  source: { file: 'orders.csv', row: 2 },
};

describe('watchMailbox (the use case)', () => {
  it('a genuine order mail becomes an order event with its facts; a phishing copy never does', async () => {
    const store = new MemoryStore();
    const out = await run(memorySource([orderMail(), forgedOrder()]), deps(store));
    expect(out[0]!.event.kind).toBe('order');
    expect(out[0]!.event.order).toEqual({
      mailKind: 'order',
      orderId: '249-1234567-7654321',
      date: '2026-11-19',
      items: ['無印良品 ノート B5 5冊組'],
      total: 1290,
      currency: 'JPY',
      storefront: 'amazon-jp',
    });
    expect(out[1]!.verdict).toBe('phishing');
    expect(out[1]!.event.order).toBeUndefined();
    expect((await store.watchEvents()).filter((e) => e.kind === 'order')).toHaveLength(1);
    // Kept apart from imported order data.
    expect((await store.load()).lines).toEqual([]);
  });

  it('a brand claim nothing authenticates is noted as suspicious, without alarm', async () => {
    const store = new MemoryStore();
    const told: Alert[] = [];
    const unsigned = Buffer.from(
      orderMail()
        .toString('latin1')
        .replace(/^Authentication-Results:[\s\S]*?(?=^Received:)/m, ''),
      'latin1',
    );
    const [o] = await run(memorySource([unsigned]), deps(store, told));
    expect([o!.verdict, o!.event.kind, o!.alert]).toEqual(['suspicious', 'suspicious', null]);
    expect(o!.event.order).toBeUndefined();
    expect(told).toEqual([]);
    // No alert, but its evidence is kept (never its body): why it is suspicious can be shown later.
    expect(o!.event.checked?.findings.map((f) => f.id)).toContain('auth.unverified-claim');
    expect(o!.event.checked?.from).toContain('@amazon.co.jp');
    const stored = (await store.watchEvents()).find((e) => e.id === o!.event.id);
    expect(stored?.checked?.findings.map((f) => f.id)).toContain('auth.unverified-claim');
  });

  it('an ordinary mail keeps no evidence; a long piece of evidence is cut', async () => {
    const store = new MemoryStore();
    const plain = Buffer.from(
      'From: friend@example.org\r\nTo: me@example.jp\r\nSubject: lunch\r\nDate: Thu, 19 Nov 2026 10:00:00 +0900\r\n\r\nSee you at noon.\r\n',
    );
    const [o] = await run(memorySource([plain]), deps(store));
    expect(o!.verdict).toBe('unrelated');
    expect(o!.event.checked).toBeUndefined();
    const [p] = await run(memorySource([phishingMail()], 'memory:other'), deps(new MemoryStore()));
    for (const f of p!.event.checked!.findings) expect(f.evidence.length).toBeLessThanOrEqual(401);
  });

  it('a genuine sign-in notice raises an alert with "if this was not you" and the plan', async () => {
    const store = new MemoryStore();
    const told: Alert[] = [];
    const [o] = await run(memorySource([genuine('jp-signin-alert.eml')]), deps(store, told));
    expect(o!.event.kind).toBe('security-notice');
    expect(o!.alert?.kind).toBe('security-notice');
    expect(o!.alert?.situations).toContain('entered-password');
    expect(told.map((a) => a.key)).toEqual(['watch.alert.security-notice']);
  });

  it('a phishing mail raises one alert, told once; the same mail again is not judged again', async () => {
    const store = new MemoryStore();
    const told: Alert[] = [];
    const out = await run(memorySource([phishingMail(), phishingMail()]), deps(store, told));
    expect(out.map((o) => o.alert?.kind)).toEqual(['phishing']);
    expect(out[0]!.alert?.evidence).toContain('link.lookalike-host');
    expect(told).toHaveLength(1);
    expect(await store.watchCursor('memory:test')).toEqual({ validity: '1', last: 2 });
  });

  it('a small "test" charge is flagged; its cancellation is recorded as a credit', async () => {
    const store = new MemoryStore();
    const out = await run(
      memorySource([jcbNotice({ amount: 11, merchant: 'ロケツトナウ', id: 't11' })]),
      deps(store),
    );
    expect(out[0]!.alert?.kind).toBe('test-charge');
    expect(out[0]!.alert?.params).toMatchObject({ amount: 11, currency: 'JPY' });
  });

  it('a small charge then its cancellation: the cancellation is flagged too, paired with the charge', async () => {
    const store = new MemoryStore();
    const out = await run(
      memorySource([
        jcbNotice({ amount: 11, merchant: 'ロケツトナウ', id: 'c1' }),
        jcbNotice({ amount: 11, merchant: 'ロケツトナウ', id: 'c2', cancel: true, date: '2026/11/20 10:02' }),
        jcbNotice({ amount: 4980, merchant: 'アマゾン', id: 'c3', cancel: true, date: '2026/11/20 10:05' }),
      ]),
      deps(store),
    );
    expect(out.map((o) => o.alert?.kind ?? null)).toEqual(['test-charge', 'test-charge-cancelled', null]);
    expect(out[1]!.alert?.evidence).toEqual(['2026-11-20 ロケツトナウ -11 JPY', '2026-11-19 11 JPY']);
    expect(out[2]!.event.charges?.[0]?.cancellation).toBe(true);
  });

  it('an order not seen before raises an alert, after a first run that learned the history', async () => {
    const store = new MemoryStore();
    const told: Alert[] = [];
    // The first run: the order mail already there (dated before the run) is learned, without an alert.
    const first = await run(memorySource([orderMail()], 'memory:orders'), deps(store, told));
    expect(first.map((o) => [o.event.kind, o.learned, o.alert?.kind ?? null])).toEqual([
      ['order', true, null],
    ]);
    expect(await store.getSetting('watch.history:memory:orders')).toBe('learned');
    // Later: a new order (dated after the first run began) raises one; another mail about the same order, none.
    const later = [
      orderMail(),
      newOrderMail({ orderId: '249-5555555-1111111', date: '2026-11-19T15:00:00Z', total: 4980 }),
      newOrderMail({ orderId: '249-5555555-1111111', date: '2026-11-19T16:00:00Z', total: 4980 }),
    ];
    const second = await run(memorySource(later, 'memory:orders'), deps(store, told));
    expect(second.map((o) => [o.event.order?.orderId, o.learned, o.alert?.kind ?? null])).toEqual([
      ['249-5555555-1111111', false, 'new-order'],
      ['249-5555555-1111111', false, null],
    ]);
    expect(second[0]!.alert?.params).toMatchObject({ orderId: '249-5555555-1111111', total: 4980 });
    expect(second[0]!.alert?.situations).toEqual(['unknown-order']);
    expect(told.map((a) => a.key)).toEqual(['watch.alert.new-order']);
  });

  it('a first run that did not finish keeps learning from when it began; an imported order is never new', async () => {
    const store = new MemoryStore();
    await store.setSetting('watch.history:memory:x', 'learning 2026-11-19T10:00:00.000Z');
    await store.importFile('orders.csv', 'test', async (sink) =>
      sink.line({ ...importedLine, orderId: '249-7777777-0000001' }),
    );
    const out = await run(
      memorySource(
        [
          newOrderMail({ orderId: '249-6666666-0000001', date: '2026-11-19T09:00:00Z' }),
          newOrderMail({ orderId: '249-6666666-0000002', date: '2026-11-19T10:30:00Z' }),
          newOrderMail({ orderId: '249-7777777-0000001', date: '2026-11-19T10:40:00Z' }),
        ],
        'memory:x',
      ),
      deps(store),
    );
    expect(out.map((o) => [o.learned, o.alert?.kind ?? null])).toEqual([
      [true, null],
      [false, 'new-order'],
      [false, null],
    ]);
  });

  it('a charge matched by an order mail seen earlier raises nothing', async () => {
    const store = new MemoryStore();
    await store.importFile('orders.csv', 'test', async (sink) =>
      sink.line({
        key: 'l1',
        orderId: '249-0000000-0000001',
        storefront: 'amazon-jp',
        kind: 'physical',
        orderAt: '2026-10-01T10:00',
        shipDate: '2026-10-01',
        name: '古い注文',
        asin: null,
        quantity: 1,
        amount: 500,
        currency: 'JPY',
        status: 'ok',
        payment: null,
        shipTo: null,
        seller: null,
        category: null,
        giftTo: null,
        source: { file: 'orders.csv', row: 2 },
      }),
    );
    const out = await run(
      memorySource([orderMail(), jcbNotice({ amount: 1290, merchant: 'アマゾン', id: 'm' })]),
      deps(store),
    );
    expect(out.map((o) => [o.event.kind, o.alert?.kind ?? null])).toEqual([
      ['order', null],
      ['charge', null],
    ]);
  });
});

describe('Maildir and mbox sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-mailbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a Maildir: each file once, across runs', async () => {
    const md = join(dir, 'Maildir');
    for (const s of ['new', 'cur', 'tmp']) mkdirSync(join(md, s), { recursive: true });
    writeFileSync(join(md, 'cur', '1700000000.1.host:2,S'), phishingMail());
    writeFileSync(join(md, 'new', '1700000001.2.host'), orderMail());
    const store = new MemoryStore();
    const first = await run(new MaildirWatchSource(md, { once: true }), deps(store));
    expect(first.map((o) => o.event.kind)).toEqual(['phishing', 'order']);
    writeFileSync(
      join(md, 'new', '1700000002.3.host'),
      jcbNotice({ amount: 1290, merchant: 'アマゾン', id: 'md' }),
    );
    const second = await run(new MaildirWatchSource(md, { once: true }), deps(store));
    expect(second.map((o) => o.event.kind)).toEqual(['charge']);
  });

  /** Reads a source that keeps watching, collecting what it yields, until closed. */
  function watching(source: WatchSource, store: MemoryStore) {
    const seen: WatchOutcome[] = [];
    const done = (async () => {
      for await (const o of watchMailbox(source, deps(store))) seen.push(o);
    })();
    return { seen, done };
  }
  const until = async (cond: () => boolean, ms = 8000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('a Maildir is read as it changes (fs.watch, the poll set to a minute); a mail moved to cur/ is not read again', async () => {
    const md = join(dir, 'Live');
    for (const s of ['new', 'cur', 'tmp']) mkdirSync(join(md, s), { recursive: true });
    const store = new MemoryStore();
    const source = new MaildirWatchSource(md, { intervalMs: 60_000 });
    const w = watching(source, store);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(join(md, 'tmp', '1700000010.1.host'), phishingMail());
    renameSync(join(md, 'tmp', '1700000010.1.host'), join(md, 'new', '1700000010.1.host'));
    await until(() => w.seen.length === 1);
    // A mail program marks it read: new/ → cur/ with flags. Then another mail arrives.
    renameSync(join(md, 'new', '1700000010.1.host'), join(md, 'cur', '1700000010.1.host:2,S'));
    writeFileSync(
      join(md, 'new', '1700000011.2.host'),
      jcbNotice({ amount: 2222, merchant: 'アマゾン', id: 'lv' }),
    );
    await until(() => w.seen.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    source.close();
    await w.done;
    expect(w.seen.map((o) => o.event.kind)).toEqual(['phishing', 'charge']);
  });

  it('an mbox is read as it grows (fs.watch): the message being written is taken once complete, once', async () => {
    const file = join(dir, 'live.mbox');
    const entry = (b: Buffer) =>
      Buffer.concat([Buffer.from('From x@example Thu Nov 19 10:00:00 2026\n'), b, Buffer.from('\n')]);
    writeFileSync(file, '');
    const store = new MemoryStore();
    const source = new MboxWatchSource(file, { intervalMs: 60_000 });
    const w = watching(source, store);
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(file, entry(phishingMail()));
    await until(() => w.seen.length === 1);
    appendFileSync(file, entry(jcbNotice({ amount: 3333, merchant: 'アマゾン', id: 'mb' })));
    await until(() => w.seen.length === 2);
    await new Promise((r) => setTimeout(r, 500));
    source.close();
    await w.done;
    expect(w.seen.map((o) => o.event.kind)).toEqual(['phishing', 'charge']);
  });

  it('an mbox: what is appended is read; a rewritten file is re-read without repeats', async () => {
    const file = join(dir, 'inbox.mbox');
    const entry = (b: Buffer) =>
      Buffer.concat([Buffer.from('From x@example Thu Nov 19 10:00:00 2026\n'), b, Buffer.from('\n')]);
    writeFileSync(file, entry(phishingMail()));
    const store = new MemoryStore();
    expect(
      (await run(new MboxWatchSource(file, { once: true }), deps(store))).map((o) => o.event.kind),
    ).toEqual(['phishing']);
    appendFileSync(file, entry(orderMail()));
    expect(
      (await run(new MboxWatchSource(file, { once: true }), deps(store))).map((o) => o.event.kind),
    ).toEqual(['order']);
    // Rewritten by a mail program (new inode): re-read, and nothing judged twice.
    rmSync(file);
    writeFileSync(file, Buffer.concat([entry(phishingMail()), entry(orderMail())]));
    expect(await run(new MboxWatchSource(file, { once: true }), deps(store))).toEqual([]);
  });
});
