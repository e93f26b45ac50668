import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Zip, ZipDeflate } from 'fflate';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import type { CardCharge, OrderLine } from '#core/ledger/types.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';

const root = packageRoot();
const work = join(root, '.bench');

function iso(day: number): string {
  return new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

/** 20,000 orders and 50,000 card rows: every order charged per shipment, plus subscriptions and other shops. */
export function synthetic(
  orderCount: number,
  chargeCount: number,
): { lines: OrderLine[]; charges: CardCharge[] } {
  const lines: OrderLine[] = [];
  const charges: CardCharge[] = [];
  for (let i = 0; i < orderCount; i++) {
    const day = Math.floor((i / orderCount) * 700);
    const id = `249-${String(1000000 + i).padStart(7, '0')}-${String(i * 7).padStart(7, '0')}`;
    const shipments = i % 5 === 0 ? 2 : 1;
    for (let s = 0; s < shipments; s++) {
      const amount = 500 + ((i * 37 + s * 101) % 9000);
      lines.push({
        key: `${id}-${s}`,
        orderId: id,
        storefront: 'amazon-jp',
        kind: 'physical',
        orderAt: `${iso(day)}T${String(8 + (i % 14)).padStart(2, '0')}:00`,
        shipDate: iso(day + 1 + s),
        name: `item ${i % 300}`,
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
        source: { file: 'bench', row: i },
      });
      if (charges.length < chargeCount)
        charges.push({
          key: `c${charges.length}`,
          date: iso(day + 1 + s + (i % 3)),
          description: 'AMAZON.CO.JP',
          amount,
          currency: 'JPY',
          cardholder: null,
          layout: 'bench',
          source: { file: 'bench', row: charges.length },
        });
    }
  }
  for (let j = 0; charges.length < chargeCount; j++)
    charges.push({
      key: `o${j}`,
      date: iso(j % 700),
      description: j % 10 === 0 ? 'Amazonプライム会費' : 'SUPERMARKET',
      amount: j % 10 === 0 ? 600 : 1000 + (j % 5000),
      currency: 'JPY',
      cardholder: null,
      layout: 'bench',
      source: { file: 'bench', row: j },
    });
  return { lines, charges };
}

/** The same orders as Amazon's export (Order History.csv in a zip) and the charges as a 楽天カード CSV. */
export async function writeReconcileInputs(
  zipPath: string,
  csvPath: string,
  lines: OrderLine[],
  charges: CardCharge[],
): Promise<void> {
  const out = createWriteStream(zipPath);
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.write(chunk);
  });
  const file = new ZipDeflate('Your Amazon Orders/Order History.csv', { level: 1 });
  zip.add(file);
  const enc = new TextEncoder();
  let rows =
    '\uFEFFASIN,Currency,Order Date,Order ID,Order Status,Original Quantity,Payment Method Type,Product Name,Ship Date,Shipping Address,Total Amount,Website\n';
  for (const [i, l] of lines.entries()) {
    rows += `B0${String(i).padStart(8, '0')},JPY,${l.orderAt}:00Z,${l.orderId},Closed,1,Visa - 1234,"${l.name}",${l.shipDate}T10:00:00Z,"山田 太郎 東京都世田谷区1-2-3",${l.amount},Amazon.co.jp\n`;
    if (rows.length > 1 << 20) {
      file.push(enc.encode(rows));
      rows = '';
    }
  }
  file.push(enc.encode(rows), true);
  zip.end();
  out.end();
  await once(out, 'finish');
  const card = ['\uFEFF利用日,利用店名・商品名,利用者,支払方法,利用金額,支払手数料,支払総額'];
  for (const c of charges)
    card.push(`${c.date.replace(/-/g, '/')},${c.description},本人,1回払い,${c.amount},0,${c.amount}`);
  writeFileSync(csvPath, card.join('\n') + '\n');
}

async function writeExport(path: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(path);
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.write(chunk);
  });
  const file = new ZipDeflate('Your Amazon Orders/Order History.csv', { level: 1 });
  zip.add(file);
  const enc = new TextEncoder();
  file.push(
    enc.encode(
      '\uFEFFASIN,Currency,Order Date,Order ID,Order Status,Original Quantity,Payment Method Type,Product Name,Ship Date,Shipping Address,Total Amount,Website\n',
    ),
  );
  let bytes = 0;
  let i = 0;
  while (bytes < targetBytes) {
    let chunk = '';
    for (let k = 0; k < 2000; k++, i++) {
      const d = iso(i % 3000);
      chunk += `B0${String(i).padStart(8, '0')},JPY,${d}T03:${String(i % 60).padStart(2, '0')}:00Z,249-${String(i % 9999999).padStart(7, '0')}-${String(i).padStart(7, '0')},Closed,1,Visa - 1234,"商品 ${i} 日用品 詰め替え用 大容量",${d}T10:00:00Z,"山田 太郎 東京都世田谷区1-2-3",${500 + (i % 9000)},Amazon.co.jp\n`;
    }
    const b = enc.encode(chunk);
    bytes += b.length;
    file.push(b);
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  file.push(new Uint8Array(0), true);
  zip.end();
  out.end();
  await once(out, 'finish');
  return bytes;
}

function importChild(path: string): { seconds: number; maxRssMb: number; out: string } {
  const home = join(work, 'home-' + Math.random().toString(36).slice(2));
  mkdirSync(home, { recursive: true });
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/import-child.ts'), path, home],
    { encoding: 'utf8', cwd: root },
  );
  rmSync(home, { recursive: true, force: true });
  const m = /maxRssMb=(\d+)/.exec(r.stdout);
  return {
    seconds: (Date.now() - t0) / 1000,
    maxRssMb: m ? Number(m[1]) : -1,
    out: (r.stdout + r.stderr).trim(),
  };
}

export async function benchReconcile(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const knowledge = loadKnowledge();
  console.log('reconcile: 20,000 orders against 50,000 card rows');
  const { lines, charges } = synthetic(20_000, 50_000);
  const t0 = performance.now();
  const orders = assembleOrders(lines);
  const r = reconcile({ orders, refunds: [], charges }, knowledge);
  const ms = performance.now() - t0;
  const zip = join(work, 'reconcile-export.zip');
  const csv = join(work, 'reconcile-card.csv');
  await writeReconcileInputs(zip, csv, lines, charges);
  const runs = Array.from({ length: 3 }, () => {
    const t = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        join(root, 'bench/rss-probe.mjs'),
        join(root, 'bin/mamori.js'),
        'reconcile',
        '--orders',
        zip,
        '--statement',
        csv,
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
    );
    if (r.status !== 0) console.log(r.stderr.slice(0, 500));
    const m = /mamori-bench maxRssMb=(\d+) cpuMs=(\d+)/.exec(r.stderr);
    return {
      seconds: (performance.now() - t) / 1000,
      cpuSeconds: m ? Number(m[2]) / 1000 : NaN,
      maxRssMb: m ? Number(m[1]) : -1,
    };
  });
  const mid = <T>(xs: T[], f: (x: T) => number) => xs.map(f).sort((a, b) => a - b)[1]!;
  console.log(
    `  \`mamori reconcile --orders export.zip --statement card.csv --json\` (start-up, zip and CSV parsing, output included; median of 3): ${mid(runs, (r) => r.seconds).toFixed(2)} s wall, ${mid(runs, (r) => r.cpuSeconds).toFixed(2)} s of CPU time, peak RSS ${mid(runs, (r) => r.maxRssMb)} MB  (target < 3 s)`,
  );
  console.log(
    `  in-process match alone: ${(ms / 1000).toFixed(2)} s; categories ${JSON.stringify(Object.fromEntries(Object.entries(r.summary.byCategory).map(([k, v]) => [k, v!.count])))}`,
  );

  console.log(
    'import: a 100 MB Amazon export (Order History.csv in a zip), streamed into SQLite; memory must stay flat',
  );
  for (const mb of [25, 100]) {
    const path = join(work, `export-${mb}mb.zip`);
    const bytes = await writeExport(path, mb * 1024 * 1024);
    const res = importChild(path);
    console.log(
      `  ${mb} MB CSV (${(statSync(path).size / 1e6).toFixed(1)} MB zip, ${(bytes / 1e6).toFixed(0)} MB of rows): ${res.seconds.toFixed(1)} s, peak RSS ${res.maxRssMb} MB`,
    );
    if (res.maxRssMb < 0) console.log(res.out.slice(0, 500));
  }
}
