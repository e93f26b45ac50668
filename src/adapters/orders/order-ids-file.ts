import { readFileSync, statSync } from 'node:fs';
import { pathImportSource } from '#adapters/import/path-source.ts';
import { importFiles } from '#core/app/import-files.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { decodeUnknown } from '#core/mail/decode.ts';
import { extractOrderIds, orderHistoryFrom, type OrderHistory } from '#core/check/index.ts';
import type { ImportProblem } from '#core/ledger/types.ts';
import { MemoryStore } from '#core/store/memory-store.ts';

/** Why `check --orders FILE` could not use the file: an import problem, worded by the interface. */
export class OrdersFileError extends Error {
  constructor(readonly problem: ImportProblem) {
    super(`${problem.code}: ${problem.file}${problem.detail ? ': ' + problem.detail : ''}`);
  }
}

/**
 * The user's orders from a file given to `check --orders`: an Amazon export (zip, folder or CSV, read by the
 * importer into memory), or failing that any text that lists order numbers. Throws an OrdersFileError.
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
      throw new OrdersFileError(p);
  }
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new OrdersFileError({ code: 'not-a-file', file: path });
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof OrdersFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new OrdersFileError(
      code === 'ENOENT'
        ? { code: 'not-found', file: path }
        : { code: 'unreadable', file: path, detail: code ?? String(e) },
    );
  }
  const ids = extractOrderIds(decodeUnknown(bytes).text, knowledge.merchants);
  if (ids.length === 0) throw new OrdersFileError({ code: 'no-order-ids', file: path });
  return orderHistoryFrom(ids);
}
