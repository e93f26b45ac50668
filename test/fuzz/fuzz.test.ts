import { describe, expect, it } from 'vitest';
import { targets } from './targets.ts';
import { cpuMsSince, yardstickMs } from './yardstick.ts';

/**
 * The fuzz suite's fixed budget for `npm test`: a few hundred seeded mutations per target, each input under a
 * slowness ceiling and the process under a memory ceiling. The long run is `npm run fuzz -- --minutes N`
 * (scripts/fuzz.ts), which also survives crashes and writes crashers.
 *
 * Slowness is measured so that a loaded machine does not fail the test: each input's CPU time (not wall time,
 * which other processes on a shared 2-core machine stretch: the worst mail input took 1.3 s idle and 4.8 s with
 * three busy loops beside it, against the old 5 s wall ceiling), in units of a linear yardstick measured just
 * before, in the same process (yardstick.ts, about 45 ms on the development machine). The worst input costs
 * about 30 units, idle or loaded; the ceiling is 120. A quadratic blow-up on a hostile input of up to 2 MB costs
 * more: a rescan of the text from every position (tried once, then taken out) cost three inputs 218 to 564 units.
 * A hang never returns: the test's own timeout is its guard, generous since wall time is what load stretches.
 */
const SEED = 20261119;
const BUDGET: Record<string, number> = { mail: 400, msg: 20, reconcile: 80, csv: 150, zip: 60 };
const CEILING_UNITS = 120;
const MEMORY_CEILING = 512 * 1024 * 1024;
const HANG_GUARD_MS = 10 * 60_000;

describe('fuzz (seeded, bounded)', () => {
  for (const target of targets({ maxMailBytes: 2 * 1024 * 1024, msgTimeoutMs: 4000, maxOrders: 3000 })) {
    it(
      `${target.name}: ${BUDGET[target.name]} inputs, none crashes, hangs, runs away or exhausts memory`,
      { timeout: HANG_GUARD_MS },
      async () => {
        const unit = yardstickMs();
        expect(unit).toBeGreaterThan(0);
        const slow: string[] = [];
        const base = process.memoryUsage().rss;
        for (let i = 0; i < BUDGET[target.name]!; i++) {
          const input = target.input(SEED, i);
          const c0 = process.cpuUsage();
          try {
            await target.run(input);
          } catch (err) {
            throw new Error(`${target.name} input ${i} (seed ${SEED}): ${(err as Error).stack}`);
          }
          const units = cpuMsSince(c0) / unit;
          if (units > CEILING_UNITS)
            slow.push(
              `${i}: ${units.toFixed(0)} units (${Math.round(units * unit)} ms of CPU, ${input.length} bytes)`,
            );
          expect(process.memoryUsage().rss - base, `${target.name} input ${i}: memory`).toBeLessThan(
            MEMORY_CEILING,
          );
        }
        expect(
          slow,
          `${target.name}: inputs over ${CEILING_UNITS} units of ${unit.toFixed(1)} ms of CPU`,
        ).toEqual([]);
      },
    );
  }
});
