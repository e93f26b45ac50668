import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '#adapters/store/store.ts';
import {
  TRANSFER_FORMAT,
  TRANSFER_VERSION,
  TransferError,
  exportData,
  importData,
  type TransferDocument,
} from '#core/app/transfer.ts';
import type { CaseRecord } from '#core/case/case.ts';
import type { Store } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { mamori } from '../helpers/cli.ts';
import { inProcess, login } from './session.ts';

const home = () => mkdtempSync(join(tmpdir(), 'mamori-transfer-'));
const kase = (id: string, title = 'カードの不正利用'): CaseRecord => ({
  id,
  created: '2026-11-21T00:00:00.000Z',
  title,
  region: 'jp',
  situations: ['unknown-charge'],
  noticed: '2026-11-21',
  contact: { name: '山田 太郎', phone: '090-0000-0000' },
  mails: [],
  charges: [
    {
      key: 'c1',
      date: '2026-11-02',
      description: 'AMAZON.CO.JP',
      amount: 12800,
      currency: 'JPY',
      orderIds: [],
      category: 'unmatched',
      risk: 'high',
      reasons: ['charge.no-order'],
    },
  ],
  steps: { 'card-stop': { status: 'done', at: '2026-11-21T01:00:00.000Z', receipt: 'A-123' } },
});
const src = (file: string, row: number) => ({ file, row });

/** A store with something of everything: two imports, two cases with events, a watched mail with its alert. */
async function filled(store: Store): Promise<void> {
  await store.importFile('orders.zip', 'test', async (k) => {
    k.line({
      key: 'line|249-1|1',
      orderId: '249-0000000-0000001',
      storefront: 'amazon-jp',
      kind: 'physical',
      orderAt: '2026-10-01T12:00',
      shipDate: '2026-10-02',
      name: '品物',
      asin: null,
      quantity: 1,
      amount: 1000,
      currency: 'JPY',
      status: 'ok',
      payment: null,
      shipTo: null,
      seller: null,
      category: null,
      giftTo: null,
      source: src('orders.csv', 2),
    });
    k.payment({
      key: 'pay|1',
      orderId: '249-0000000-0000001',
      date: '2026-10-01',
      amount: 1000,
      currency: 'JPY',
      method: 'Visa',
      source: src('p.csv', 2),
    });
    k.refund({
      key: 'refund|1',
      orderId: '249-0000000-0000001',
      date: '2026-10-05',
      amount: 1000,
      currency: 'JPY',
      source: src('r.csv', 2),
    });
  });
  await store.importFile('card.csv', 'statement:test', async (k) => {
    for (const [key, date] of [
      ['c2', '2026-11-05'],
      ['c1', '2026-11-02'],
    ] as const)
      k.charge({
        key,
        date,
        description: 'AMAZON.CO.JP',
        amount: 12800,
        currency: 'JPY',
        cardholder: null,
        layout: 'test',
        source: src('card.csv', 2),
        printed: { date, description: 'ＡＭＡＺＯＮ', amount: '12,800' },
      });
  });
  await store.createCase(kase('C-20261121-1'));
  await store.createCase(kase('C-20261121-2', 'フィッシング'));
  await store.addEvent('C-20261121-1', { at: '2026-11-21', kind: 'card-stopped', receipt: 'A-123' });
  await store.addEvent('C-20261121-1', { at: '2026-11-20', kind: 'noticed' });
  await store.addEvent('C-20261121-2', { at: '2026-11-21', kind: 'noticed', note: 'メール' });
  const fp = 'ab'.repeat(32);
  const event = {
    id: 'phishing-abababababababab',
    kind: 'phishing' as const,
    at: '2026-11-19T11:00:00.000Z',
    source: { mailbox: 'imap://a@127.0.0.1:1/INBOX', uid: '7', fingerprint: fp },
    verdict: 'phishing',
    brand: 'amazon-jp',
    subject: '至急',
  };
  await store.recordWatched({
    source: 'imap://a@127.0.0.1:1/INBOX',
    cursor: { validity: '1', last: 7 },
    fingerprint: fp,
    event,
    alert: {
      id: event.id,
      kind: 'phishing',
      at: event.at,
      eventId: event.id,
      params: { subject: '至急', score: 3 },
      evidence: ['link.lookalike-host'],
      situations: ['suspicious-mail'],
      shown: false,
      dismissed: false,
    },
  });
  await store.markAlertsShown([event.id]);
}

/** Everything a store holds, through the port. */
async function contents(store: Store) {
  const cases = await store.listCases();
  return {
    ledger: await store.load(),
    cases,
    events: await Promise.all(cases.map((c) => store.events(c.id))),
    watch: await store.watchEvents(),
    alerts: await store.alerts({ all: true }),
    seen: await store.watchSeen('ab'.repeat(32)),
  };
}

describe('moving data: exportData / importData', () => {
  it('everything, from SQLite to memory, comes back the same; importing again adds nothing', async () => {
    const sqlite = SqliteStore.open(home());
    await filled(sqlite);
    const doc = await exportData(sqlite, { now: '2026-11-22T00:00:00.000Z' });
    expect(doc).toMatchObject({ format: TRANSFER_FORMAT, version: TRANSFER_VERSION, scope: { kind: 'all' } });
    // Through a file: only JSON survives the move.
    const moved: unknown = JSON.parse(JSON.stringify(doc));
    const memory = new MemoryStore();
    const r = await importData(memory, moved);
    expect(r).toEqual({
      ledger: { added: 5, unchanged: 0 },
      cases: { added: 2, unchanged: 0, events: 3 },
      conflicts: [],
      watch: { added: 1, unchanged: 0 },
      settings: { added: 0, unchanged: 0, kept: [] },
    });
    const want = await contents(sqlite);
    expect(await contents(memory)).toEqual(want);
    expect(want.alerts[0]!.shown).toBe(true);
    const again = await importData(memory, moved);
    expect(again).toEqual({
      ledger: { added: 0, unchanged: 5 },
      cases: { added: 0, unchanged: 2, events: 0 },
      conflicts: [],
      watch: { added: 0, unchanged: 1 },
      settings: { added: 0, unchanged: 0, kept: [] },
    });
    expect(await contents(memory)).toEqual(want);
    // And back into another SQLite store.
    const back = SqliteStore.open(home());
    await importData(back, moved);
    expect(await contents(back)).toEqual(want);
    sqlite.close();
    back.close();
  });

  it('a case alone: the case and its events, nothing else', async () => {
    const sqlite = SqliteStore.open(home());
    await filled(sqlite);
    const doc = await exportData(sqlite, { caseId: 'C-20261121-1' });
    expect(doc.scope).toEqual({ kind: 'case', caseId: 'C-20261121-1' });
    expect(doc.cases.map((c) => c.case.id)).toEqual(['C-20261121-1']);
    expect(doc.cases[0]!.events.map((e) => e.kind)).toEqual(['noticed', 'card-stopped']);
    expect(doc.ledger.charges).toEqual([]);
    expect(doc.watch.events).toEqual([]);
    await expect(exportData(sqlite, { caseId: 'C-404' })).rejects.toMatchObject({ code: 'no-case' });
    const memory = new MemoryStore();
    await importData(memory, JSON.parse(JSON.stringify(doc)));
    expect(await memory.caseIds()).toEqual(['C-20261121-1']);
    expect((await memory.counts()).imports).toBe(0);
    sqlite.close();
  });

  it('a case already here with other content is left as it was and reported; its new events are not added', async () => {
    const memory = new MemoryStore();
    await memory.createCase(kase('C-20261121-1', '別の事例'));
    const doc = await exportData(
      await (async () => {
        const s = new MemoryStore();
        await s.createCase(kase('C-20261121-1'));
        await s.addEvent('C-20261121-1', { at: '2026-11-21', kind: 'noticed' });
        return s;
      })(),
    );
    const r = await importData(memory, doc);
    expect(r.conflicts).toEqual(['C-20261121-1']);
    expect((await memory.getCase('C-20261121-1'))!.title).toBe('別の事例');
    expect(await memory.events('C-20261121-1')).toEqual([]);
  });

  it('refuses a bad, foreign or future-version file, writing nothing at all', async () => {
    const sqlite = SqliteStore.open(home());
    await filled(sqlite);
    const good = JSON.parse(JSON.stringify(await exportData(sqlite))) as TransferDocument;
    sqlite.close();
    const code = async (doc: unknown) => {
      const memory = new MemoryStore();
      const e = await importData(memory, doc).catch((x: unknown) => x);
      expect(await contents(memory)).toEqual(await contents(new MemoryStore()));
      expect(e).toBeInstanceOf(TransferError);
      return e as TransferError;
    };
    expect((await code({ ...good, version: TRANSFER_VERSION + 1 })).code).toBe('future-version');
    expect((await code({ ...good, format: 'other' })).code).toBe('not-mamori');
    expect((await code([1, 2])).code).toBe('not-mamori');
    expect((await code({ ...good, version: '1' })).code).toBe('invalid');
    // A damaged record late in the file: the valid ones before it are not written either.
    const lastCharge = structuredClone(good);
    (lastCharge.ledger.charges[1] as unknown as Record<string, unknown>).amount = '12800';
    expect(await code(lastCharge)).toMatchObject({ code: 'invalid', where: 'ledger.charges[1].amount' });
    const badEvent = structuredClone(good);
    (badEvent.cases[1]!.events[0] as unknown as Record<string, unknown>).at = 'yesterday';
    expect((await code(badEvent)).where).toBe('cases[1].events[0].at');
    const dupCase = structuredClone(good);
    dupCase.cases.push(dupCase.cases[0]!);
    expect((await code(dupCase)).code).toBe('invalid');
    const orphan = structuredClone(good);
    orphan.watch.alerts[0]!.eventId = 'nope';
    expect((await code(orphan)).where).toBe('watch.alerts[0].eventId');
    const badId = structuredClone(good);
    badId.cases[0]!.case.id = '../../etc';
    expect((await code(badId)).where).toBe('cases[0].case.id');
  });
});

describe('moving data over HTTP', () => {
  it('exports from one server and imports into another', async () => {
    const a = SqliteStore.open(home());
    const b = SqliteStore.open(home());
    await filled(a);
    const sa = await inProcess(a);
    const sb = await inProcess(b);
    try {
      const la = await login(sa.origin, sa.url);
      const lb = await login(sb.origin, sb.url);
      const res = await la.fetch(`${sa.origin}/api/transfer/export`);
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="mamori-all-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      const doc = await res.text();
      const post = (body: string) =>
        lb.fetch(`${sb.origin}/api/transfer/import`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-mamori-csrf': lb.csrf },
          body,
        });
      const r = await post(doc);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { cases: { added: number } }).cases.added).toBe(2);
      expect(await contents(b)).toEqual(await contents(a));
      const future = await post(JSON.stringify({ ...(JSON.parse(doc) as object), version: 99 }));
      expect(future.status).toBe(422);
      const e = ((await future.json()) as { error: { code: string; message: string } }).error;
      expect(e.code).toBe('transfer.future-version');
      expect(e.message).toContain('99');
      const one = await la.fetch(`${sa.origin}/api/transfer/export?case=C-20261121-2`);
      expect(((await one.json()) as TransferDocument).cases.map((c) => c.case.id)).toEqual(['C-20261121-2']);
      expect((await la.fetch(`${sa.origin}/api/transfer/export?case=C-404`)).status).toBe(422);
    } finally {
      await sa.close();
      await sb.close();
      a.close();
      b.close();
    }
  });
});

describe('moving data with the CLI', () => {
  it('mamori export writes a file that mamori import reads into another home, beside a ledger file', async () => {
    const from = home();
    const s = SqliteStore.open(from);
    await filled(s);
    s.close();
    const out = join(home(), 'mamori.json');
    const ex = mamori(['export', out], { env: { MAMORI_HOME: from } });
    expect(ex.status, ex.stderr).toBe(0);
    expect(ex.stdout).toContain('事例 2 件');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: TRANSFER_FORMAT });
    // Never over an existing file.
    expect(mamori(['export', out], { env: { MAMORI_HOME: from } }).status).toBe(1);
    const to = home();
    const im = mamori(['import', out, 'samples/ledger/vpass.csv'], { env: { MAMORI_HOME: to } });
    expect(im.status, im.stderr).toBe(0);
    expect(im.stdout).toContain('事例 2 件');
    expect(im.stdout).toContain('vpass.csv');
    const list = mamori(['case', 'list', '--json'], { env: { MAMORI_HOME: to } });
    expect((JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id)).toEqual([
      'C-20261121-1',
      'C-20261121-2',
    ]);
    const one = join(home(), 'case.json');
    expect(mamori(['export', one, '--case', 'C-20261121-2'], { env: { MAMORI_HOME: from } }).status).toBe(0);
    const missing = mamori(['export', join(home(), 'x.json'), '--case', 'C-404'], {
      env: { MAMORI_HOME: from },
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('C-404');
  });

  it('mamori import refuses a damaged or future transfer file and stores nothing', () => {
    const dir = home();
    const future = join(dir, 'future.json');
    writeFileSync(
      future,
      JSON.stringify({
        format: TRANSFER_FORMAT,
        version: 99,
        scope: { kind: 'all' },
        ledger: {},
        cases: [],
        watch: {},
      }),
    );
    const to = home();
    const r = mamori(['import', future], { env: { MAMORI_HOME: to } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('新しい版の mamori');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format":"mamori-transfer","version":1,');
    const b = mamori(['import', broken, '--lang', 'en'], { env: { MAMORI_HOME: to } });
    expect(b.status).toBe(1);
    expect(b.stderr).toContain('cut short');
    expect(b.stderr).toContain('nothing was stored');
    expect(mamori(['case', 'list', '--json'], { env: { MAMORI_HOME: to } }).stdout.trim()).toBe('[]');
  });
});

/** The person's settings, and the ones that must never leave the device. */
async function withSettings(store: Store): Promise<void> {
  await store.setSetting('mail.provider', 'gmail');
  await store.setSetting('web.current-case', 'C-20261121-2');
  await store.setSetting('web.brand.C-20261121-2', 'rakuten-card');
  await store.setSetting('web.dates.C-20261121-1', JSON.stringify({ firstCharge: '2026-11-02' }));
  await store.setSetting('watch.webhook', 'https://ntfy.sh/secret-topic-4711');
  await store.setSetting('watch.alert-mail', 'on');
  await store.setSetting('watch.alert-mail-key', 'k'.repeat(64));
  await store.setSetting('watch.history:imap://a@127.0.0.1:1/INBOX', 'learned');
}
const SECRETS = ['secret-topic-4711', 'k'.repeat(64), 'watch.webhook', 'watch.alert-mail', 'watch.history'];

/** Every file of a home, byte for byte. */
const snapshot = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

describe('transfer files carry the person’s settings (an allow-list, never a secret)', () => {
  it('everything: provider and the page’s case settings go along; webhook, alert-mail key and mailbox state stay', async () => {
    const from = SqliteStore.open(home());
    await filled(from);
    await withSettings(from);
    const doc = await exportData(from);
    expect(doc.settings).toEqual({
      'mail.provider': 'gmail',
      'web.current-case': 'C-20261121-2',
      'web.brand.C-20261121-2': 'rakuten-card',
      'web.dates.C-20261121-1': '{"firstCharge":"2026-11-02"}',
    });
    const text = JSON.stringify(doc);
    for (const s of SECRETS) expect(text).not.toContain(s);
    const to = new MemoryStore();
    const r = await importData(to, JSON.parse(text));
    expect(r.settings).toEqual({ added: 4, unchanged: 0, kept: [] });
    for (const [k, v] of Object.entries(doc.settings!)) expect(await to.getSetting(k)).toBe(v);
    for (const k of ['watch.webhook', 'watch.alert-mail', 'watch.alert-mail-key'])
      expect(await to.getSetting(k)).toBeNull();
    expect((await importData(to, JSON.parse(text))).settings).toEqual({ added: 0, unchanged: 4, kept: [] });
    from.close();
  });

  it('a case alone carries its own settings only; one set here to another value is kept and said', async () => {
    const from = new MemoryStore();
    await filled(from);
    await withSettings(from);
    const one = await exportData(from, { caseId: 'C-20261121-2' });
    expect(one.settings).toEqual({ 'web.brand.C-20261121-2': 'rakuten-card' });
    const to = new MemoryStore();
    await to.setSetting('mail.provider', 'outlook');
    const r = await importData(to, await exportData(from));
    expect(r.settings.kept).toEqual(['mail.provider']);
    expect(await to.getSetting('mail.provider')).toBe('outlook');
    expect(await to.getSetting('web.brand.C-20261121-2')).toBe('rakuten-card');
  });

  it('a file carrying a setting not on the list, or a bad value, is refused whole, with a translated reason', async () => {
    const from = new MemoryStore();
    await filled(from);
    const good = JSON.parse(JSON.stringify(await exportData(from))) as TransferDocument;
    const refused = async (settings: Record<string, unknown>) => {
      const to = new MemoryStore();
      const e = (await importData(to, { ...good, settings }).catch((x: unknown) => x)) as TransferError;
      expect(e).toBeInstanceOf(TransferError);
      expect(await contents(to)).toEqual(await contents(new MemoryStore()));
      expect(await to.getSetting('mail.provider')).toBeNull();
      return e;
    };
    expect(await refused({ 'mail.provider': 'gmail', 'watch.webhook': 'https://ntfy.sh/x' })).toMatchObject({
      code: 'setting-not-allowed',
      params: { key: 'watch.webhook' },
    });
    expect((await refused({ 'watch.alert-mail-key': 'x' })).code).toBe('setting-not-allowed');
    expect((await refused({ 'mail.provider': 'not-a-provider' })).where).toBe('settings.mail.provider');
    expect((await refused({ 'web.brand.C-404': 'jcb' })).where).toBe('settings.web.brand.C-404');
    expect((await refused({ 'web.dates.C-20261121-1': '{"password":"x"}' })).code).toBe('invalid');
    expect((await refused({ 'mail.provider': 3 })).code).toBe('invalid');
    const file = join(home(), 'evil.json');
    writeFileSync(file, JSON.stringify({ ...good, settings: { 'watch.webhook': 'https://ntfy.sh/x' } }));
    for (const [lang, says] of [
      ['ja', '端末のあいだで移さない設定（watch.webhook）'],
      ['en', 'does not move between devices (watch.webhook)'],
    ] as const) {
      const r = mamori(['import', file, '--lang', lang], { env: { MAMORI_HOME: home() } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(says);
    }
  });

  it('a file in the old format (before settings were carried) still imports', async () => {
    const fixture = 'test/fixtures/transfer/v1-without-settings.json';
    const old = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
    expect(old.settings).toBeUndefined();
    const to = new MemoryStore();
    const r = await importData(to, old);
    expect(r.ledger.added).toBe(13);
    expect(r.cases.added).toBe(1);
    expect(r.settings).toEqual({ added: 0, unchanged: 0, kept: [] });
    const h = home();
    const cli = mamori(['import', fixture, '--lang', 'en'], { env: { MAMORI_HOME: h } });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('13 order and charge records added');
    expect(JSON.parse(mamori(['case', 'list', '--json'], { env: { MAMORI_HOME: h } }).stdout)).toHaveLength(
      1,
    );
  });

  it('a write that fails half-way (a case made meanwhile by another process) leaves SQLite byte for byte as it was', async () => {
    const from = new MemoryStore();
    await filled(from);
    await withSettings(from);
    const doc = JSON.parse(JSON.stringify(await exportData(from))) as TransferDocument;
    const to = home();
    const seed = SqliteStore.open(to);
    await seed.createCase(kase('C-20261121-2', 'フィッシング'));
    seed.close();
    const before = snapshot(to);
    const store = SqliteStore.open(to);
    // Planned as new (the lookup misses it), then refused by the table: the ledger, the first case and the settings
    // written before it in the same transaction go too.
    const racing = new Proxy(store, {
      get: (t, k) => {
        if (k === 'getCase') return async () => null;
        const v = Reflect.get(t, k) as unknown;
        return typeof v === 'function' ? (v as () => unknown).bind(t) : v;
      },
    });
    await expect(importData(racing, doc)).rejects.toThrow();
    store.close();
    expect(snapshot(to)).toEqual(before);
  });

  it('a file corrupted midway leaves the store byte for byte as it was', async () => {
    const from = SqliteStore.open(home());
    await filled(from);
    await withSettings(from);
    const text = JSON.stringify(await exportData(from), null, 1);
    from.close();
    // The target has data of its own, so "as it was" is not just "empty".
    const to = home();
    const seed = SqliteStore.open(to);
    await seed.createCase(kase('C-20261101-9', '前の事例'));
    await seed.setSetting('mail.provider', 'icloud');
    seed.close();
    const before = snapshot(to);
    const dir = home();
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const damaged = JSON.parse(text) as TransferDocument;
    // A record in the middle, after the ledger and the cases a naive import would already have written.
    (damaged.watch.events[0] as unknown as Record<string, unknown>).subject = 42;
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(damaged));
    for (const [file, says] of [
      [cut, 'cut short'],
      [bad, 'damaged or was edited (watch.events[0].subject)'],
    ] as const) {
      const r = mamori(['import', file, '--lang', 'en'], { env: { MAMORI_HOME: to } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(says);
      expect(r.stderr).toContain('nothing was stored');
      expect(snapshot(to)).toEqual(before);
    }
  });
});
