/**
 * npm run bench -- browser-store: 5,000 orders and 2,000 card rows imported into the browser store (SQLite-WASM in
 * a Worker) in Debian's Chromium, on OPFS and on the IndexedDB copy; medians of 5 fresh stores each. Wall times in
 * the Worker (performance.now); the records are generated here and posted in, which is not timed.
 */
import { realpathSync } from 'node:fs';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { packageRoot } from '#adapters/knowledge/load.ts';
import type { CardCharge, OrderLine } from '#core/ledger/types.ts';

const iso = (day: number) => new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

function records(orders: number, chargeCount: number): { lines: OrderLine[]; charges: CardCharge[] } {
  const lines: OrderLine[] = [];
  const charges: CardCharge[] = [];
  for (let i = 0; i < orders; i++) {
    const day = Math.floor((i / orders) * 700);
    const id = `249-${String(1000000 + i).padStart(7, '0')}-${String(i * 7).padStart(7, '0')}`;
    const amount = 500 + ((i * 37) % 9000);
    lines.push({
      key: `line|${id}|0`,
      orderId: id,
      storefront: 'amazon-jp',
      kind: 'physical',
      orderAt: `${iso(day)}T${String(8 + (i % 14)).padStart(2, '0')}:00`,
      shipDate: iso(day + 1),
      name: `品物 ${i % 300}`,
      asin: null,
      quantity: 1,
      amount,
      currency: 'JPY',
      status: 'ok',
      payment: 'Visa',
      shipTo: 'home',
      seller: 'Amazon.co.jp',
      category: null,
      giftTo: null,
      source: { file: 'orders.csv', row: i + 2 },
    });
    if (charges.length < chargeCount)
      charges.push({
        key: `card|${i}`,
        date: iso(day + 1 + (i % 3)),
        description: 'AMAZON.CO.JP',
        amount,
        currency: 'JPY',
        cardholder: null,
        layout: 'bench',
        source: { file: 'card.csv', row: i + 2 },
      });
  }
  return { lines, charges };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchBrowserStore(): Promise<void> {
  const root = packageRoot();
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'], noDiscovery: true },
    worker: { format: 'es' },
    server: {
      host: '127.0.0.1',
      port: 0,
      fs: { allow: [root, realpathSync(`${root}/node_modules/@sqlite.org/sqlite-wasm`)] },
    },
    plugins: [
      {
        name: 'bench-page',
        configureServer(s) {
          s.middlewares.use('/__bench', (_req, res) => res.end('<!doctype html><title>bench</title>'));
        },
      },
    ],
  });
  await server.listen();
  const address = server.httpServer!.address() as { port: number };
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${address.port}/__bench`);
    const data = records(5000, 2000);
    for (const backend of ['opfs', 'indexeddb'] as const) {
      const runs: Record<string, number>[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await page.evaluate(
          ({ job }) =>
            new Promise<Record<string, unknown>>((resolve) => {
              const W = (
                globalThis as unknown as {
                  Worker: new (
                    u: string,
                    o: object,
                  ) => {
                    onmessage: (e: { data: Record<string, unknown> }) => void;
                    postMessage(m: unknown): void;
                    terminate(): void;
                  };
                }
              ).Worker;
              const w = new W('/bench/browser-store-worker.ts', { type: 'module' });
              w.onmessage = (e) => {
                w.terminate();
                resolve(e.data);
              };
              w.postMessage(job);
            }),
          { job: { name: `bench-${backend}-${i}`, backend, ...data } },
        );
        if (!r.ok || r.backend !== backend || r.added !== 7000 || r.loaded !== 7000)
          throw new Error(`browser-store bench: ${JSON.stringify(r)}`);
        // The first run also compiles the WASM and Vite's transforms: not counted.
        if (i > 0) runs.push(r as Record<string, number>);
      }
      const m = (k: string) => median(runs.map((r) => r[k]!)).toFixed(0);
      console.log(
        `browser store (${backend}, Chromium): 5,000 orders + 2,000 charges imported in ${m('orders')} + ${m('charges')} ms` +
          ` (open ${m('open')} ms, load all ${m('load')} ms); medians of ${runs.length}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
