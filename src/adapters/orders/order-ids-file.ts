import { readFileSync } from 'node:fs';
import { ImportError, importPath } from '#adapters/import/importer.ts';
import { Store } from '#adapters/store/store.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { decodeUnknown } from '#core/mail/decode.ts';
import { extractOrderIds, orderHistoryFrom, type OrderHistory } from '#core/check/index.ts';

/**
 * The user's orders from a file given to `check --orders`: an Amazon export (zip, folder or CSV, read by the
 * reconcile importer), or failing that any text that lists order numbers. Throws with a reason to show.
 */
export async function orderHistoryFromFile(path: string, knowledge: Knowledge): Promise<OrderHistory> {
  const store = Store.memory();
  try {
    await store.importFile(path, 'orders', (sink) =>
      importPath(path, sink, { knowledge }).then(() => undefined),
    );
    const h = store.orderHistory();
    if (h.knows) return h;
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    if (
      err.problem.code === 'not-found' ||
      err.problem.code === 'zip-corrupt' ||
      err.problem.code === 'zip-bomb'
    )
      throw new Error(err.message);
  } finally {
    store.close();
  }
  const { text } = decodeUnknown(readFileSync(path));
  const ids = extractOrderIds(text, knowledge.merchants);
  if (ids.length === 0)
    throw new Error('no Amazon order numbers (such as 249-1234567-1234567) were found in the file');
  return orderHistoryFrom(ids);
}
