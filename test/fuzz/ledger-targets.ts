/**
 * Fuzz targets for the importers: card statements and Amazon CSVs (the CSV stream reader, charset checks, layout
 * detection, the row mappers) and export zips (the zip reader's size checks, corrupt deflate, nested zips). Each
 * input is written to a temporary file and imported through the same port and use case as `mamori import`, into
 * a MemoryStore. A target throws only for a bug: a thrown error instead of an outcome, a problem code without a
 * sentence in both languages, or a refused file that left rows behind.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { pathImportSource } from '#adapters/import/path-source.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { importFiles } from '#core/app/import-files.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { filesUnder } from '../helpers/files.ts';
import { mutate, rng } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';

const knowledge = loadKnowledge();
const root = fileURLToPath(new URL('../..', import.meta.url));
const sentences = [knowledge.messages.get('ja')!.text, knowledge.messages.get('en')!.text];

const read = (p: string) => new Uint8Array(readFileSync(p));
let csvSeeds: Uint8Array[] | null = null;
const seedsOfCsv = () =>
  (csvSeeds ??= filesUnder(join(root, 'test/fixtures/ledger'), /\.(csv|ofx)$/).map(read));
let zipSeeds: Uint8Array[] | null = null;
const seedsOfZip = () =>
  (zipSeeds ??= filesUnder(join(root, 'test/fixtures/ledger/scenarios'), /\.zip$/).map(read));

let scratch: string | null = null;
let n = 0;

/** Imports the bytes as a file of that name; resolves to `ok` or the problem's code. */
async function importBytes(bytes: Uint8Array, name: string): Promise<string> {
  scratch ??= mkdtempSync(join(tmpdir(), 'mamori-fuzz-ledger-'));
  const dir = join(scratch, String(n++));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const store = new MemoryStore();
  try {
    const [o] = await importFiles(
      store,
      [{ file, source: pathImportSource(file, knowledge.reconcile.importLimits) }],
      { knowledge },
    );
    if (!o) throw new Error('no outcome for the input');
    if (o.ok) return 'ok';
    const key = `import.${o.problem.code}`;
    if (sentences.some((text) => !(key in text)))
      throw new Error(`problem ${o.problem.code} has no sentence`);
    const c = await store.counts();
    if (c.lines + c.charges + c.refunds > 0) throw new Error('a refused file left rows in the store');
    return o.problem.code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Statements and Amazon CSVs, mutated (and spliced with each other: encodings change part-way). */
export function csvTarget(maxBytes: number): FuzzTarget {
  return {
    name: 'csv',
    ext: 'csv',
    input(seed, index) {
      const r = rng(seed * 3_000_017 + index);
      let x = r.pick(seedsOfCsv());
      for (let k = 1 + r.int(4); k > 0; k--) x = mutate(r, x, r.pick(seedsOfCsv()), maxBytes);
      return x;
    },
    // Half the inputs are named like an Amazon export file, so the Amazon mappers see them too.
    run: (input) => importBytes(input, input.length % 2 ? 'Order History.csv' : 'statement.csv'),
  };
}

/** Export zips: the zip's own bytes mutated (directory, sizes, deflate), or entries mutated and re-zipped. */
export function zipTarget(maxBytes: number): FuzzTarget {
  return {
    name: 'zip',
    ext: 'zip',
    input(seed, index) {
      const r = rng(seed * 5_000_011 + index);
      const z = r.pick(seedsOfZip());
      if (r.next() < 0.5) return mutate(r, z, z, maxBytes);
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(z);
      } catch {
        return z;
      }
      const name = r.pick(Object.keys(entries));
      entries[name] = mutate(r, entries[name]!, r.pick(seedsOfCsv()), maxBytes);
      if (r.next() < 0.2) entries['inner.zip'] = zipSync({ [name]: entries[name]! });
      if (r.next() < 0.1) entries['Your Amazon Orders/extra.csv'] = strToU8('a,b\n"unclosed\n');
      return zipSync(entries, { level: r.int(10) as 0 });
    },
    run: (input) => importBytes(input, 'Your Orders.zip'),
  };
}

/** Removes the scratch folder (the fuzz runner calls it at the end). */
export function cleanLedgerScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
}
