// The bench's Worker: imports the records it is sent into a fresh browser store and says how long each step took.
import { openBrowserStore, type BrowserBackend } from '#adapters/browser-store/index.ts';
import type { CardCharge, OrderLine } from '#core/ledger/types.ts';

interface Scope {
  onmessage: ((ev: { data: Job }) => void) | null;
  postMessage(m: unknown): void;
}
interface Job {
  name: string;
  backend: BrowserBackend;
  lines: OrderLine[];
  charges: CardCharge[];
}
const scope = globalThis as unknown as Scope;

scope.onmessage = async ({ data }) => {
  try {
    const t0 = performance.now();
    const s = await openBrowserStore({ name: data.name, backend: data.backend });
    const t1 = performance.now();
    const orders = await s.importFile('orders.csv', 'bench', async (k) =>
      data.lines.forEach((l) => k.line(l)),
    );
    const t2 = performance.now();
    const charges = await s.importFile('card.csv', 'bench', async (k) =>
      data.charges.forEach((c) => k.charge(c)),
    );
    const t3 = performance.now();
    const ledger = await s.load();
    const t4 = performance.now();
    const backend = s.backend;
    await s.forget();
    scope.postMessage({
      ok: true,
      backend,
      added: orders.added + charges.added,
      loaded: ledger.lines.length + ledger.charges.length,
      open: t1 - t0,
      orders: t2 - t1,
      charges: t3 - t2,
      load: t4 - t3,
    });
  } catch (e) {
    scope.postMessage({ ok: false, error: String(e) });
  }
};
