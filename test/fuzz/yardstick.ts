/**
 * A machine's speed as this process sees it now: the CPU milliseconds (process.cpuUsage, so time other processes
 * take on a loaded machine is not counted) of a fixed linear piece of work like a check's own — 4 MB of Japanese
 * and ASCII text decoded, NFKC-folded, lower-cased, split into lines, scanned for links, and through JSON and back.
 * The quickest of five runs (the first also warms up). Independent of mamori's code, so a blow-up in that code
 * does not raise its own ceiling.
 */
export function yardstickMs(): number {
  const line =
    'Amazon.co.jp をご利用いただき、ありがとうございます。注文番号: 249-1234567-7654321 ' +
    'https://www.amazon.co.jp/gp/css/order-history ＡＢＣ１２３\r\n';
  const bytes = new TextEncoder().encode(line.repeat(Math.ceil((4 * 1024 * 1024) / 160)));
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const text = new TextDecoder().decode(bytes).normalize('NFKC').toLowerCase();
    const lines = text.split(/\r?\n/);
    let n = 0;
    for (const l of lines) if (/https?:\/\/\S+/.test(l)) n += l.replace(/\s+/g, ' ').length;
    n += (JSON.parse(JSON.stringify(lines)) as string[]).length;
    const d = process.cpuUsage(c0);
    if (n === 0) throw new Error('the yardstick did no work');
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

/** CPU milliseconds since `since` (user and system, every thread of this process). */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
