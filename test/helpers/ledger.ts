import { importPath } from '#adapters/import/importer.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { Store } from '#adapters/store/store.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';

export const knowledge = loadKnowledge();

/** Imports the files into a fresh in-memory store (one transaction each) and reconciles. */
export async function reconcileFiles(files: string[]) {
  const store = Store.memory();
  for (const f of files)
    await store.importFile(f, 'test', (sink) => importPath(f, sink, { knowledge }).then(() => undefined));
  const data = store.load();
  store.close();
  return reconcile(
    { orders: assembleOrders(data.lines, data.payments), refunds: data.refunds, charges: data.charges },
    knowledge,
  );
}
