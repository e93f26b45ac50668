import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import { readInputs } from '#adapters/input/mail-input.ts';
import { checkMessage } from '#core/check/index.ts';

const root = packageRoot();
const work = join(root, '.bench');

function fixtureMails(): { name: string; bytes: Buffer; phish: boolean }[] {
  const out: { name: string; bytes: Buffer; phish: boolean }[] = [];
  for (const kind of ['phish', 'genuine']) {
    const dir = join(root, 'test/fixtures/mail', kind);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.eml')))
      out.push({ name: f, bytes: readFileSync(join(dir, f)), phish: kind === 'phish' });
  }
  return out;
}

/** An mbox of `n` messages cycling through the fixtures, written as a stream (mboxrd escaping). */
async function writeMbox(path: string, n: number): Promise<void> {
  const mails = fixtureMails();
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const m = mails[i % mails.length]!;
    const body = m.bytes.toString('latin1').replace(/^(>*From )/gm, '>$1');
    if (!out.write(`From bench@example.jp Thu Nov 19 03:12:00 2026\n${body}\n`, 'latin1'))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function run(
  path: string,
): Promise<{ count: number; seconds: number; peakRssMb: number; verdicts: Record<string, number> }> {
  const knowledge = loadKnowledge();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
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
  clearInterval(timer);
  return { count, seconds, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6), verdicts };
}

function spamassassin(): void {
  const which = spawnSync('sh', ['-c', 'command -v spamassassin'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.log('  spamassassin: not installed (apt-get install spamassassin) — side-by-side skipped');
    return;
  }
  const mails = fixtureMails();
  const sample = Array.from({ length: 100 }, (_, i) => mails[i % mails.length]!);
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
  console.log('check: mails per second over an mbox built from the fixtures (one core), and peak memory');
  const small = join(work, 'bench-10k.mbox');
  const large = join(work, 'bench-30k.mbox');
  await writeMbox(small, 10_000);
  await writeMbox(large, 30_000);
  const a = await run(small);
  console.log(
    `  10,000 mails: ${(a.count / a.seconds).toFixed(0)} mails/s (${a.seconds.toFixed(1)} s), peak RSS ${a.peakRssMb} MB  (target ≥1,000 mails/s)`,
  );
  const b = await run(large);
  console.log(
    `  30,000 mails: ${(b.count / b.seconds).toFixed(0)} mails/s (${b.seconds.toFixed(1)} s), peak RSS ${b.peakRssMb} MB  (memory must not grow with the mbox: ${b.peakRssMb - a.peakRssMb <= 40 ? 'flat' : 'GROWS'})`,
  );
  console.log(`  verdicts (30k): ${JSON.stringify(b.verdicts)}`);
  spamassassin();
}
