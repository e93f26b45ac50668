import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const probe = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One `mamori serve --no-open --port 0`: ms to its URL, then to the first answer of /api/health; its CPU time. */
async function once(): Promise<{ url: number; health: number; cpuMs: number }> {
  const home = mkdtempSync(join(tmpdir(), 'mamori-bench-serve-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'mamori.js'), 'serve', '--no-open', '--port', '0'],
    {
      cwd: root,
      env: { ...process.env, MAMORI_HOME: home, NODE_OPTIONS: `--import=${probe}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`serve ended early: ${err}`)));
  });
  const url = performance.now() - started;
  await (await fetch(`${origin}/api/health`)).json();
  const health = performance.now() - started;
  const ended = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await ended;
  rmSync(home, { recursive: true, force: true });
  return { url, health, cpuMs: Number(/cpuMs=(\d+)/.exec(err)?.[1] ?? NaN) };
}

/** `mamori serve` from the command to listening (goal, with the page's first screen: `npm start` under 3 s). */
export async function benchServe(): Promise<void> {
  const runs = Number(process.env.BENCH_SERVE_RUNS ?? 7);
  const r: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < runs; i++) r.push(await once());
  console.log(
    `serve: start to URL printed ${Math.round(median(r.map((x) => x.url)))} ms, to first API answer ${Math.round(median(r.map((x) => x.health)))} ms, CPU ${median(r.map((x) => x.cpuMs))} ms (medians of ${runs}; goal: npm start to the first screen < 3 s)`,
  );
}
