import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '#adapters/store/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { storeContract } from './contract.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'mamori-store-')), 'mamori.db');

storeContract('sqlite (file)', () => new SqliteStore(fresh()));
storeContract('sqlite (:memory:)', () => SqliteStore.memory());

describe('the SQLite store opened read-only', () => {
  it('a store that does not exist reads as empty and is not created', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const s = SqliteStore.openReadOnly(home);
    expect(s).toBeInstanceOf(MemoryStore);
    expect(await s.counts()).toMatchObject({ charges: 0 });
    s.close();
    expect(existsSync(join(home, 'mamori.db'))).toBe(false);
  });

  it('reads what a writer stored, and refuses to write', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const w = SqliteStore.open(home);
    await w.createCase({
      id: 'C-1',
      created: '2026-11-21T00:00:00.000Z',
      title: 't',
      region: 'jp',
      situations: ['unknown-charge'],
      noticed: '2026-11-21',
      contact: {},
      mails: [],
      charges: [],
      steps: {},
    });
    w.close();
    const r = SqliteStore.openReadOnly(home);
    expect(await r.caseIds()).toEqual(['C-1']);
    await expect(async () => r.setSetting('x', 'y')).rejects.toThrow();
    r.close();
  });

  it('an older or foreign file without the tables reads as empty', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const db = new SqliteStore(join(home, 'other.db'));
    db.db.exec('DROP TABLE settings; DROP TABLE case_events; DROP TABLE cases');
    db.close();
    const r = new SqliteStore(join(home, 'other.db'), { readonly: true });
    expect(await r.listCases()).toEqual([]);
    expect(await r.getSetting('lang')).toBeNull();
    r.close();
  });
});
