import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '#core/app/import-files.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import { bytesImportSource } from '#core/ledger/bytes-source.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { pasteSessions } from '#interfaces/web/engine/paste.ts';
import { knowledge } from '../helpers/ledger.ts';

/** The web app's paste handlers (engine worker `paste-preview` / `paste-commit` / `paste-discard`), on a real store. */
const page = readFileSync('samples/ledger/pasted-transactions.txt', 'utf8');
const statement = readFileSync('samples/ledger/vpass.csv');
const at = '2026-12-01T20:00:00.000Z';
const sessions = () => pasteSessions({ knowledge, now: () => at });

async function stored(store: MemoryStore) {
  const d = await store.load();
  return d.lines.length + d.payments.length + d.refunds.length + d.charges.length;
}

describe('the web paste flow (engine worker)', () => {
  it('a preview stores nothing; the confirm stores it, and the statement is then explained by the page', async () => {
    const store = new MemoryStore();
    const p = sessions();
    const v = await p.preview({ text: page });
    expect(v.previewId).toEqual(expect.any(String));
    expect(v.preview).toMatchObject({ kind: 'paste', page: 'transactions' });
    expect(await stored(store)).toBe(0);
    const count = await p.commit(store, v.previewId!);
    expect(count).toEqual({ added: 4, unchanged: 0 });
    await importFiles(
      store,
      [
        {
          file: 'vpass.csv',
          source: bytesImportSource('vpass.csv', [{ path: 'vpass.csv', bytes: statement }]),
        },
      ],
      { knowledge },
    );
    const r = (await reconcileStored(store, knowledge))!;
    const matched = r.charges.find((c) => c.orderIds.includes('503-0000004-0000004'))!;
    expect(matched.findings[0]).toMatchObject({
      id: 'match.pasted-transaction',
      params: { orderId: '503-0000004-0000004' },
    });
  });

  it('a saved page (bytes and its name) reads as the text does', async () => {
    const v = await sessions().preview({
      name: 'transactions-ja-saved.mhtml',
      bytes: readFileSync('test/fixtures/pasted/transactions-ja-saved.mhtml'),
    });
    expect(v.preview).toMatchObject({ kind: 'paste', format: 'mhtml', page: 'transactions' });
  });

  it('a reading is stored once; after 「保存しない」 or once stored it is gone', async () => {
    const store = new MemoryStore();
    const p = sessions();
    const a = await p.preview({ text: page });
    await p.commit(store, a.previewId!);
    await expect(p.commit(store, a.previewId!)).rejects.toThrow('web.paste.expired');
    const b = await p.preview({ text: page });
    expect(p.discard(b.previewId!)).toBe(true);
    await expect(p.commit(store, b.previewId!)).rejects.toThrow('web.paste.expired');
    expect(await stored(store)).toBe(4);
  });

  it('only the last three readings are kept', async () => {
    const p = sessions();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await p.preview({ text: page })).previewId!);
    expect(new Set(ids).size).toBe(4);
    const store = new MemoryStore();
    await expect(p.commit(store, ids[0]!)).rejects.toThrow('web.paste.expired');
    await expect(p.commit(store, ids[3]!)).resolves.toMatchObject({ added: 4 });
  });

  it('no order data, nothing, a statement: said, with nothing to confirm', async () => {
    const p = sessions();
    const text = (f: string) => readFileSync(`test/fixtures/pasted/${f}`, 'utf8');
    expect(await p.preview({ text: text('unrelated-page.txt') })).toMatchObject({
      previewId: null,
      preview: { kind: 'nothing' },
    });
    expect(await p.preview({ text: ' \n ' })).toMatchObject({ previewId: null, preview: { kind: 'empty' } });
    expect(await p.preview({})).toMatchObject({ previewId: null, preview: { kind: 'empty' } });
    expect(await p.preview({ text: text('card-statement.txt') })).toMatchObject({
      previewId: null,
      preview: { kind: 'statement' },
    });
    expect(
      await p.preview({ name: 'big.txt', bytes: new Uint8Array(72 * 1024 * 1024).fill(0x41) }),
    ).toMatchObject({ previewId: null, preview: { kind: 'too-large' } });
  });

  it('a failure says only its key, never the paste', async () => {
    const broken = pasteSessions({ knowledge: {} as LedgerKnowledge, now: () => at });
    const err = await broken
      .preview({ text: '山田 太郎 東京都千代田区1-1 注文番号 503-1234567-1234567' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('web.paste.failed');
  });
});
