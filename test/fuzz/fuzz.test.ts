import { describe, expect, it } from 'vitest';
import { targets } from './targets.ts';

/**
 * The fuzz suite's fixed budget for `npm test`: a few hundred seeded mutations per target, each input under a time
 * ceiling (a hang guard, generous: the CI machine may be slow) and the process under a memory ceiling. The long
 * run is `npm run fuzz -- --minutes N` (scripts/fuzz.ts), which also survives crashes and writes crashers.
 */
const SEED = 20261119;
const BUDGET: Record<string, number> = { mail: 400, msg: 20, reconcile: 80, csv: 150, zip: 60 };
const TIME_CEILING_MS = 5000;
const MEMORY_CEILING = 512 * 1024 * 1024;

describe('fuzz (seeded, bounded)', () => {
  for (const target of targets({ maxMailBytes: 2 * 1024 * 1024, msgTimeoutMs: 4000, maxOrders: 3000 })) {
    it(`${target.name}: ${BUDGET[target.name]} inputs, none crashes, hangs or exhausts memory`, async () => {
      const slow: string[] = [];
      const base = process.memoryUsage().rss;
      for (let i = 0; i < BUDGET[target.name]!; i++) {
        const input = target.input(SEED, i);
        const t0 = performance.now();
        try {
          await target.run(input);
        } catch (err) {
          throw new Error(`${target.name} input ${i} (seed ${SEED}): ${(err as Error).stack}`);
        }
        const ms = performance.now() - t0;
        if (ms > TIME_CEILING_MS) slow.push(`${i}: ${Math.round(ms)} ms (${input.length} bytes)`);
        expect(process.memoryUsage().rss - base, `${target.name} input ${i}: memory`).toBeLessThan(
          MEMORY_CEILING,
        );
      }
      expect(slow, `${target.name}: inputs over ${TIME_CEILING_MS} ms`).toEqual([]);
    });
  }
});
