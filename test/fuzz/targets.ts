/**
 * Fuzz targets: each turns (seed, index) into one input, deterministically, and runs it through one part of
 * mamori. A target throws only for a bug (a crash, or an invariant broken, such as a partly read mail called
 * legitimate); expected failures (a .msg that cannot be read) are outcomes.
 *
 * The importers' targets (CSV statements and Amazon CSVs, export zips) are in ledger-targets.ts. A target added
 * to `targets` is picked up by both `npm test` (test/fuzz/fuzz.test.ts) and `npm run fuzz`.
 */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { msgDataToRfc822, readMsg } from '#adapters/input/mail-input.ts';
import { checkMessage } from '#core/check/index.ts';
import type { Order } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';
import type { CardCharge } from '#core/ledger/types.ts';
import {
  boundaryLines,
  encodedWordSubject,
  genuineWithExe,
  msgFixture,
  nestedDivs,
  paddedBase64,
  phishWithPadding,
  sameTimeOrders,
} from '../helpers/hostile.ts';
import { csvTarget, zipTarget } from './ledger-targets.ts';
import { filesUnder } from '../helpers/files.ts';
import { mutate, rng } from './mutate.ts';

export interface FuzzTarget {
  name: string;
  /** File extension of its crashers. */
  ext: string;
  /** Input `index` of run `seed`: the same pair always gives the same input. */
  input(seed: number, index: number): Uint8Array;
  /** Runs one input; throws for a bug. Resolves to a short outcome (for statistics). */
  run(input: Uint8Array): Promise<string>;
}

const knowledge = loadKnowledge();
const root = fileURLToPath(new URL('../..', import.meta.url));

let mailSeeds: Uint8Array[] | null = null;
function seedsOfMail(): Uint8Array[] {
  mailSeeds ??= [
    // The card-notice fixtures (mail/notices) are not seeds: a crasher's (seed, index) names an input made from
    // the seeds as they were (test/mail/hostile.test.ts regenerates some), and one more seed changes every pick.
    ...filesUnder(join(root, 'test/fixtures/mail'), /\.eml$/)
      .filter((p) => !p.includes(`${sep}notices${sep}`))
      .map((p) => new Uint8Array(readFileSync(p))),
    ...filesUnder(join(root, 'samples/mail'), /\.eml$/).map((p) => new Uint8Array(readFileSync(p))),
    phishWithPadding(9000),
    genuineWithExe(0),
    encodedWordSubject(4096),
    boundaryLines(50),
    paddedBase64(4096),
    nestedDivs(4096),
  ];
  return mailSeeds;
}

function mutated(seeds: Uint8Array[], seed: number, index: number, maxBytes: number): Uint8Array {
  const r = rng(seed * 1_000_003 + index);
  let x = r.pick(seeds);
  for (let k = 1 + r.int(4); k > 0; k--) x = mutate(r, x, r.pick(seeds), maxBytes);
  return x;
}

/** Mails: parse and check. Invariant: a mail read only in part is never legitimate. */
export function mailTarget(maxBytes: number): FuzzTarget {
  return {
    name: 'mail',
    ext: 'eml',
    input: (seed, index) => mutated(seedsOfMail(), seed, index, maxBytes),
    async run(input) {
      const out = await checkMessage(input, knowledge);
      if (!out.ok) return out.problem.code;
      const r = out.result;
      if (r.verdict === 'legitimate' && r.findings.some((f) => f.id === 'input.partial'))
        throw new Error('a mail read only in part was called legitimate');
      return r.verdict;
    },
  };
}

/** Outlook .msg: the bounded reader (CFB check, worker with heap limit and deadline), then the check. */
export function msgTarget(timeoutMs: number): FuzzTarget {
  const limits = { ...knowledge.scoring.limits.msg, timeoutMs };
  return {
    name: 'msg',
    ext: 'msg',
    input: (seed, index) => mutated([msgFixture()], seed, index, 256 * 1024),
    async run(input) {
      let data;
      try {
        data = await readMsg(input, limits);
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        return 'unreadable';
      }
      let rfc822: Uint8Array;
      try {
        rfc822 = msgDataToRfc822(data);
      } catch {
        return 'reader-error';
      }
      const out = await checkMessage(rfc822, knowledge);
      return out.ok ? out.result.verdict : out.problem.code;
    },
  };
}

/** Reconciliation (pure): generated orders and charges, many sharing timestamps and amounts. */
export function reconcileTarget(maxOrders: number): FuzzTarget {
  return {
    name: 'reconcile',
    ext: 'json',
    input(seed, index) {
      const r = rng(seed * 7_000_003 + index);
      const n = 1 + r.int(r.next() < 0.1 ? maxOrders : 200);
      const base = sameTimeOrders(n);
      const orders = base
        .map((o, i) => {
          const day = 1 + r.int(r.next() < 0.5 ? 2 : 28);
          const time =
            r.next() < 0.3
              ? '00:00'
              : `${String(r.int(24)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}`;
          const total = r.next() < 0.5 ? 1000 : 1 + r.int(50_000);
          return {
            ...o,
            orderId: r.next() < 0.05 && i > 0 ? base[i - 1]!.orderId : o.orderId,
            orderAt: `2026-11-${String(day).padStart(2, '0')}T${time}`,
            orderDate: `2026-11-${String(day).padStart(2, '0')}`,
            total,
            kind: r.next() < 0.2 ? 'digital' : 'physical',
            status: r.pick(['ok', 'ok', 'ok', 'cancelled', 'pending']),
            shipments:
              r.next() < 0.8
                ? [{ date: `2026-11-${String(Math.min(28, day + 1)).padStart(2, '0')}`, amount: total }]
                : [],
            giftTo: r.next() < 0.05 ? 'someone@example.com' : null,
            shipTo: r.pick(['Yamada', 'Tanaka', null]),
          };
        })
        .sort((a, b) => a.orderAt.localeCompare(b.orderAt));
      const charges: CardCharge[] = Array.from({ length: r.int(n * 2 + 1) }, (_, i) => ({
        key: `c${i}`,
        date: `2026-11-${String(1 + r.int(28)).padStart(2, '0')}`,
        description: r.pick([
          'AMAZON.CO.JP',
          'AMAZON MARKETPLACE',
          'ＡＭＡＺＯＮ',
          'Amazon Prime',
          'OTHER SHOP',
          'AMZN Mktp US',
        ]),
        amount: r.next() < 0.5 ? 1000 : r.next() < 0.5 ? -1000 : 1 + r.int(50_000),
        currency: r.next() < 0.9 ? 'JPY' : 'USD',
        cardholder: null,
        layout: 'fuzz',
        source: { file: 'fuzz', row: i },
      }));
      return new TextEncoder().encode(JSON.stringify({ orders, charges }));
    },
    async run(input) {
      const { orders, charges } = JSON.parse(new TextDecoder().decode(input)) as {
        orders: Order[];
        charges: CardCharge[];
      };
      const out = reconcile({ orders, refunds: [], charges }, knowledge);
      return out.charges.length === charges.length ? 'ok' : 'charges lost';
    },
  };
}

/** Every target, with the sizes used by the CI budget (the long run may pass larger ones). */
export function targets(opts: {
  maxMailBytes: number;
  msgTimeoutMs: number;
  maxOrders: number;
  /** Largest statement, CSV or zip input. */
  maxFileBytes?: number;
}): FuzzTarget[] {
  return [
    mailTarget(opts.maxMailBytes),
    msgTarget(opts.msgTimeoutMs),
    reconcileTarget(opts.maxOrders),
    csvTarget(opts.maxFileBytes ?? 512 * 1024),
    zipTarget(opts.maxFileBytes ?? 512 * 1024),
  ];
}
