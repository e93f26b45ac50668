/**
 * npm run fuzz -- [--minutes N] [--target mail|msg|reconcile|csv|zip] [--seed S] [--out DIR]
 * Runs the fuzz targets (test/fuzz/targets.ts) for N minutes (default 1), each in a child process with a 512 MB
 * heap, under a watchdog: an input that crashes the child, runs over 5 s or leaves it over 512 MB is written to
 * DIR (default fuzz-crashers/) as <target>-<seed>-<index>.<ext>, and the run goes on with the next input. Prints
 * how many inputs each target tried. Every crasher becomes a generated regression case in test/mail/hostile.test.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { targets, type FuzzTarget } from '../test/fuzz/targets.ts';

const TIME_CEILING_MS = 5000;
const MEMORY_CEILING = 512 * 1024 * 1024;
const sizes = { maxMailBytes: 8 * 1024 * 1024, msgTimeoutMs: 4000, maxOrders: 20_000 };

type ToParent =
  | { kind: 'start'; index: number }
  | { kind: 'done'; index: number; ms: number; rss: number; outcome: string }
  | { kind: 'bug'; index: number; message: string };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function child(): Promise<void> {
  const target = targets(sizes).find((t) => t.name === arg('target'))!;
  const seed = Number(arg('seed'));
  const send = (m: ToParent) => process.send!(m);
  for (let index = Number(arg('from')); ; index++) {
    const input = target.input(seed, index);
    send({ kind: 'start', index });
    const t0 = performance.now();
    try {
      const outcome = await target.run(input);
      send({ kind: 'done', index, ms: performance.now() - t0, rss: process.memoryUsage().rss, outcome });
    } catch (err) {
      send({ kind: 'bug', index, message: String((err as Error).stack ?? err).slice(0, 2000) });
    }
  }
}

interface Stats {
  tried: number;
  outcomes: Map<string, number>;
  crashers: string[];
  slowest: number;
}

async function runTarget(target: FuzzTarget, seed: number, until: number, out: string): Promise<Stats> {
  const stats: Stats = { tried: 0, outcomes: new Map(), crashers: [], slowest: 0 };
  const record = (index: number, why: string) => {
    mkdirSync(out, { recursive: true });
    const file = join(out, `${target.name}-${seed}-${index}.${target.ext}`);
    writeFileSync(file, target.input(seed, index));
    writeFileSync(`${file}.txt`, `${why}\n`);
    stats.crashers.push(`${file}: ${why.split('\n')[0]}`);
  };
  let from = 0;
  while (Date.now() < until) {
    const proc: ChildProcess = fork(
      fileURLToPath(import.meta.url),
      ['--child', '--target', target.name, '--seed', String(seed), '--from', String(from)],
      {
        execArgv: [...process.execArgv, `--max-old-space-size=${MEMORY_CEILING / 1024 / 1024}`],
        stdio: 'pipe',
      },
    );
    let current = from;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        record(current, `hang: no result after ${TIME_CEILING_MS} ms`);
        kill();
      }, TIME_CEILING_MS);
    };
    const stop = setTimeout(() => proc.kill('SIGKILL'), Math.max(0, until - Date.now()));
    let crashed = false;
    let killed = false;
    const kill = () => {
      killed = true;
      proc.kill('SIGKILL');
    };
    proc.on('message', (m: ToParent) => {
      if (killed) return;
      if (m.kind === 'start') {
        current = m.index;
        arm();
      } else if (m.kind === 'done') {
        clearTimeout(timer);
        stats.tried++;
        stats.slowest = Math.max(stats.slowest, m.ms);
        stats.outcomes.set(m.outcome, (stats.outcomes.get(m.outcome) ?? 0) + 1);
        if (m.rss > MEMORY_CEILING) {
          record(m.index, `memory: ${Math.round(m.rss / 1e6)} MB`);
          kill();
        }
      } else {
        stats.tried++;
        record(m.index, `bug: ${m.message}`);
      }
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Uint8Array) => (stderr = (stderr + String(d)).slice(-2000)));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    clearTimeout(stop);
    if (Date.now() >= until) break;
    if (!killed && code !== null && code !== 0) {
      crashed = true;
      record(
        current,
        `crash: exit ${code}${/heap out of memory/i.test(stderr) ? ' (heap over 512 MB)' : ''}\n${stderr}`,
      );
    }
    if (crashed || killed) stats.tried++;
    from = current + 1;
  }
  return stats;
}

async function parent(): Promise<void> {
  const minutes = Number(arg('minutes') ?? '1');
  const seed = Number(arg('seed') ?? Date.now() % 1_000_000_007);
  const out = arg('out') ?? 'fuzz-crashers';
  const chosen = targets(sizes).filter((t) => !arg('target') || t.name === arg('target'));
  const per = (minutes * 60_000) / chosen.length;
  console.log(`fuzz: seed ${seed}, ${minutes} min, targets ${chosen.map((t) => t.name).join(', ')}`);
  let crashers = 0;
  for (const target of chosen) {
    const s = await runTarget(target, seed, Date.now() + per, out);
    crashers += s.crashers.length;
    const outcomes = [...s.outcomes].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(
      `${target.name}: ${s.tried} inputs, slowest ${Math.round(s.slowest)} ms, ${s.crashers.length} crashers  (${outcomes})`,
    );
    for (const c of s.crashers) console.log(`  ${c}`);
  }
  process.exitCode = crashers ? 1 : 0;
}

if (process.argv.includes('--child')) await child();
else await parent();
