import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { jcbNotice, orderMail, phishingMail } from './mails.ts';

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
