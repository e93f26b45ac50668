import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadNotices } from '#adapters/knowledge/notices-load.ts';
import { watchMailbox, type WatchOutcome } from '#core/app/watch.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { repoRoot } from '../helpers/cli.ts';

/**
 * The card-notice fixtures (test/fixtures/mail/notices, written by build.ts): a genuine-shaped notice of each
 * issuer becomes the charge it announces; its imitation from another domain (or under a forged address) never does.
 */
const knowledge = loadKnowledge();
const notices = loadNotices();
const clock = { today: () => '2026-11-19', now: () => '2026-11-19T11:00:00.000Z' };
const fixture = (f: string) => readFileSync(`${repoRoot}/test/fixtures/mail/notices/${f}`);

async function watchOne(file: string): Promise<WatchOutcome> {
  const source = {
    key: `memory:${file}`,
    async *mails() {
      yield { uid: '1', bytes: fixture(file), cursor: { validity: '1', last: 1 } };
    },
    close() {},
  };
  const out: WatchOutcome[] = [];
  const deps = {
    store: new MemoryStore(),
    knowledge: { check: knowledge, ledger: knowledge, notices },
    clock,
    notifier: { notify: () => {} },
  };
  for await (const o of watchMailbox(source, deps)) out.push(o);
  expect(out).toHaveLength(1);
  return out[0]!;
}

const genuine = [
  {
    file: 'view-card-kakuho.eml',
    brand: 'view-card',
    uncertain: true,
    charge: { date: '2026-11-19', amount: 1290, currency: 'JPY', description: 'AMAZON.CO.JP' },
  },
  {
    file: 'chase-you-made.eml',
    brand: 'chase',
    uncertain: true,
    charge: { date: '2026-11-19', amount: 42.17, currency: 'USD', description: 'AMAZON MKTPL*5H1YV8C82' },
  },
  {
    file: 'citi-transaction.eml',
    brand: 'citi',
    uncertain: false,
    charge: {
      date: '2026-11-19',
      amount: 117.74,
      currency: 'USD',
      description: 'HLU*HULUPLUS SANTA MONICA USA',
    },
  },
  {
    file: 'capital-one-charged.eml',
    brand: 'capital-one',
    uncertain: true,
    charge: { date: '2026-11-19', amount: 6.98, currency: 'USD', description: 'CVS/PHARMACY #' },
  },
];

describe('card-usage notice mails (test/fixtures/mail/notices)', () => {
  for (const g of genuine)
    it(`${g.file}: the issuer's authenticated notice becomes its charge`, async () => {
      const o = await watchOne(g.file);
      expect([o.verdict, o.event.brand, o.event.kind]).toEqual(['legitimate', g.brand, 'charge']);
      expect(o.event.charges).toHaveLength(1);
      const [c] = o.event.charges!;
      expect(c!.charge).toMatchObject({ ...g.charge, card: { issuer: g.brand } });
      expect(c!.uncertain).toBe(g.uncertain);
      expect(c!.cancellation).toBe(false);
    });

  for (const [file, brand] of [
    ['view-card-imitation.eml', 'view-card'],
    ['chase-imitation.eml', 'chase'],
    ['chase-forged-address.eml', 'chase'],
    ['citi-imitation.eml', 'citi'],
    ['capital-one-imitation.eml', 'capital-one'],
  ] as const)
    it(`${file}: the same notice from elsewhere is not a charge`, async () => {
      const o = await watchOne(file);
      expect(o.event.brand).toBe(brand);
      expect(o.verdict).toBe('phishing');
      expect(o.event.kind).not.toBe('charge');
      expect(o.event.charges).toBeUndefined();
    });
});
