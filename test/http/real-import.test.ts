import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createHttpStore } from '#adapters/http-store/http-store.ts';
import { pathImportSource } from '#adapters/import/path-source.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { SqliteStore } from '#adapters/store/store.ts';
import { importFiles } from '#core/app/import-files.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import type { Store } from '#core/ports/store.ts';
import { inProcess, login } from './session.ts';

const files = ['samples/ledger/amazon-export.zip', 'samples/ledger/vpass.csv'];

async function importInto(store: Store) {
  const knowledge = loadKnowledge();
  const outcomes = await importFiles(
    store,
    files.map((file) => ({ file, source: pathImportSource(file, knowledge.reconcile.importLimits) })),
    { knowledge },
  );
  return {
    outcomes: outcomes.map((o) => o.ok),
    counts: await store.counts(),
    result: await reconcileStored(store, knowledge),
  };
}

it('the core use cases run unchanged over HTTP: the sample export and statement, as stored directly', async () => {
  const direct = SqliteStore.open(mkdtempSync(join(tmpdir(), 'mamori-direct-')));
  const behind = SqliteStore.open(mkdtempSync(join(tmpdir(), 'mamori-behind-')));
  const server = await inProcess(behind);
  try {
    const s = await login(server.origin, server.url);
    const http = createHttpStore({ baseUrl: server.origin, fetch: s.fetch, csrf: s.csrf });
    const a = await importInto(direct);
    const b = await importInto(http);
    expect(a.outcomes).toEqual([true, true]);
    expect(b.counts).toEqual(a.counts);
    expect(a.counts.charges).toBeGreaterThan(0);
    expect(b.result).toEqual(a.result);
    expect(behind.load()).toEqual(direct.load());
  } finally {
    await server.close();
    direct.close();
    behind.close();
  }
});
