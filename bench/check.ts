import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import { readInputs } from '#adapters/input/mail-input.ts';
import { checkMessage } from '#core/check/index.ts';

const root = packageRoot();
const work = join(root, '.bench');

const corpus = join(root, '..', 'shared', 'corpus');
const bin = join(root, 'bin', 'mamori.js');
const probe = join(root, 'bench', 'rss-probe.mjs');

function fixtureMails(): { name: string; bytes: Buffer; phish: boolean }[] {
  const out: { name: string; bytes: Buffer; phish: boolean }[] = [];
  for (const kind of ['phish', 'genuine']) {
    const dir = join(root, 'test/fixtures/mail', kind);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.eml')))
      out.push({ name: f, bytes: readFileSync(join(dir, f)), phish: kind === 'phish' });
  }
  return out;
}

function emlNames(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...emlNames(p));
    else if (e.name.endsWith('.eml')) out.push(p);
  }
  return out;
}

function emlUnder(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...emlUnder(p));
    else if (e.name.endsWith('.eml')) out.push(readFileSync(p));
  }
  return out;
}

/**
 * Real mail when the shared corpus is there (../shared/corpus); otherwise the fixtures, their HTML bodies padded
 * with ordinary markup to the corpus's size (about 24 KiB a mail, mostly HTML), so the figure means the same.
 */
function benchMails(): { source: string; mails: Buffer[]; phish: boolean[] } {
  if (existsSync(corpus)) {
    const mails = emlUnder(corpus);
    // Every mail of the corpus is phishing but its genuine Amazon header blocks.
    const phish = emlNames(corpus).map((p) => !p.includes('genuine'));
    if (mails.length) return { source: `the shared corpus (${mails.length} mails)`, mails, phish };
  }
  const row =
    '<tr><td style="padding:4px;font-family:Arial">Your order details and recommendations</td></tr>\n';
  const mails = fixtureMails().map(({ bytes }) => {
    const s = bytes.toString('latin1');
    const at = s.lastIndexOf('</body>');
    if (at < 0) return bytes;
    const pad = row.repeat(Math.max(0, Math.floor((40 * 1024 - bytes.length) / row.length)));
    return Buffer.from(s.slice(0, at) + `<table>${pad}</table>` + s.slice(at), 'latin1');
  });
  return {
    source: `the fixtures, HTML padded (${mails.length} mails)`,
    mails,
    phish: fixtureMails().map((m) => m.phish),
  };
}

/** An mbox of `n` messages cycling through `mails`, written as a stream (mboxrd escaping). */
async function writeMbox(path: string, n: number, mails: Buffer[]): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const m = mails[i % mails.length]!;
    bytes += m.length;
    const body = m.toString('latin1').replace(/^(>*From )/gm, '>$1');
    if (!out.write(`From bench@example.jp Thu Nov 19 03:12:00 2026\n${body}\n`, 'latin1'))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes / n;
}

/** `mamori check --json` as a person runs it: a new process, start-up, reading, output included. */
function cli(args: string[]): { seconds: number; cpuSeconds: number; maxRssMb: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', probe, bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /mamori-bench maxRssMb=(\d+) cpuMs=(\d+)/.exec(r.stderr);
  return {
    seconds,
    cpuSeconds: m ? Number(m[2]) / 1000 : NaN,
    maxRssMb: m ? Number(m[1]) : -1,
    stdout: r.stdout,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(
  path: string,
): Promise<{ count: number; seconds: number; peakRssMb: number; verdicts: Record<string, number> }> {
  const knowledge = loadKnowledge();
  let peak = process.memoryUsage().rss;
  const verdicts: Record<string, number> = {};
  let count = 0;
  const t0 = process.hrtime.bigint();
  for await (const item of readInputs([path], knowledge.scoring.limits)) {
    if ('error' in item || 'skipped' in item) continue;
    const out = await checkMessage(item.bytes, knowledge);
    if (out.ok) verdicts[out.result.verdict] = (verdicts[out.result.verdict] ?? 0) + 1;
    count++;
    if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { count, seconds, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6), verdicts };
}

/** SpamAssassin on the same mails as the check (the corpus when present, else the fixtures), where installed. */
function spamassassin(source: { mails: Buffer[]; phish: boolean[] }): void {
  const which = spawnSync('sh', ['-c', 'command -v spamassassin'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.log('  spamassassin: not installed (apt-get install spamassassin) — side-by-side skipped');
    return;
  }
  const sample = Array.from({ length: 100 }, (_, i) => ({
    bytes: source.mails[i % source.mails.length]!,
    phish: source.phish[i % source.mails.length]!,
  }));
  const dir = join(work, 'sa');
  mkdirSync(dir, { recursive: true });
  const mbox = join(dir, 'sample.mbox');
  writeFileSync(
    mbox,
    sample
      .map(
        (m) =>
          `From bench@example.jp Thu Nov 19 03:12:00 2026\n${m.bytes.toString('latin1').replace(/^(>*From )/gm, '>$1')}\n`,
      )
      .join(''),
    'latin1',
  );
  const t0 = Date.now();
  const r = spawnSync('spamassassin', ['-t', '-L', '--mbox', mbox], {
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (Date.now() - t0) / 1000;
  const flags = [...r.stdout.matchAll(/^X-Spam-Flag: YES/gm)].length;
  const statuses = [...r.stdout.matchAll(/^X-Spam-Status: (Yes|No)/gm)].map((m) => m[1]);
  let caught = 0;
  let falsePos = 0;
  statuses.forEach((s, i) => {
    if (sample[i]!.phish && s === 'Yes') caught++;
    if (!sample[i]!.phish && s === 'Yes') falsePos++;
  });
  const phishCount = sample.filter((m) => m.phish).length;
  console.log(
    `  spamassassin -t -L on the same 100 mails: ${(100 / seconds).toFixed(1)} mails/s; flagged ${caught}/${phishCount} phishing, ${falsePos}/${100 - phishCount} genuine (X-Spam-Flag YES: ${flags})`,
  );
}

export async function benchCheck(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const bench = benchMails();
  const { source, mails } = bench;
  console.log(`check: \`mamori check --json\` on an mbox of ${source}, cycled; one core; medians of 3 runs`);
  const small = join(work, 'bench-10k.mbox');
  const large = join(work, 'bench-30k.mbox');
  const avg = await writeMbox(small, 10_000, mails);
  await writeMbox(large, 30_000, mails);
  const runs = [
    cli(['check', '--json', small]),
    cli(['check', '--json', small]),
    cli(['check', '--json', small]),
  ];
  const lines = runs[0]!.stdout.split('\n').filter(Boolean).length;
  const s10 = median(runs.map((r) => r.seconds));
  const cpu10 = median(runs.map((r) => r.cpuSeconds));
  const rss10 = median(runs.map((r) => r.maxRssMb));
  // Wall time is what a person waits; CPU time is the same work measured without the other programs of a busy
  // machine (the check runs on one thread, so the two agree on an idle one).
  console.log(
    `  10,000 mails (${(avg / 1024).toFixed(1)} KiB average): ${(10_000 / s10).toFixed(0)} mails/s wall (${s10.toFixed(1)} s), ${(10_000 / cpu10).toFixed(0)} mails/s of CPU time (${cpu10.toFixed(1)} s); ${lines} results, peak RSS ${rss10} MB  (target ≥1,000 mails/s)`,
  );
  const big = cli(['check', '--json', large]);
  console.log(
    `  30,000 mails: ${(30_000 / big.seconds).toFixed(0)} mails/s wall, ${(30_000 / big.cpuSeconds).toFixed(0)} of CPU time, peak RSS ${big.maxRssMb} MB  (memory must not grow with the mbox: ${big.maxRssMb - rss10 <= 40 ? 'flat' : 'GROWS'})`,
  );
  const one = join(work, 'one.eml');
  writeFileSync(one, mails[0]!);
  const ones = Array.from({ length: 9 }, () => cli(['check', one]));
  const onesJson = Array.from({ length: 9 }, () => cli(['check', '--json', one]));
  const ms = (rs: { seconds: number }[]) => (median(rs.map((r) => r.seconds)) * 1000).toFixed(0);
  const cpuMs = (rs: { cpuSeconds: number }[]) => (median(rs.map((r) => r.cpuSeconds)) * 1000).toFixed(0);
  console.log(
    `  one mail, \`mamori check one.eml\` whole (start-up included): ${ms(ones)} ms (${cpuMs(ones)} ms CPU); with --json ${ms(onesJson)} ms  (target ≤300 ms)`,
  );
  const inProcess = await run(small);
  console.log(
    `  in-process (checkMessage alone, no start-up or output): ${(inProcess.count / inProcess.seconds).toFixed(0)} mails/s; verdicts ${JSON.stringify(inProcess.verdicts)}`,
  );
  spamassassin(bench);
}
