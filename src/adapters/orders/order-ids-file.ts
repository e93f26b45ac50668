import { readFileSync, statSync } from 'node:fs';
import { pathImportSource } from '#adapters/import/path-source.ts';
import { importFiles } from '#core/app/import-files.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { decodeUnknown } from '#core/mail/decode.ts';
import { extractOrderIds, orderHistoryFrom, type OrderHistory } from '#core/check/index.ts';
import { MemoryStore } from '#core/store/memory-store.ts';

/**
 * The user's orders from a file given to `check --orders`: an Amazon export (zip, folder or CSV, read by the
 * importer into memory), or failing that any text that lists order numbers. Throws with a reason to show.
 */
export async function orderHistoryFromFile(path: string, knowledge: Knowledge): Promise<OrderHistory> {
  const store = new MemoryStore();
  const [outcome] = await importFiles(
    store,
    [{ file: path, source: pathImportSource(path, knowledge.reconcile.importLimits) }],
    { knowledge },
  );
  const h = store.orderHistory();
  if (h.knows) return h;
  if (outcome && !outcome.ok) {
    const p = outcome.problem;
    if (
      p.code === 'not-found' ||
      p.code === 'zip-corrupt' ||
      p.code === 'zip-bomb' ||
      p.code === 'unreadable'
    )
      throw new Error(`${p.code}: ${p.file}${p.detail ? ': ' + p.detail : ''}`);
  }
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  const ids = extractOrderIds(decodeUnknown(bytes).text, knowledge.merchants);
  if (ids.length === 0)
    throw new Error('no Amazon order numbers (such as 249-1234567-1234567) were found in the file');
  return orderHistoryFrom(ids);
}
