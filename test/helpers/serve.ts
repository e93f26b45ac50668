import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tripwire = fileURLToPath(new URL('../setup/deny-network.js', import.meta.url));

export interface Served {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The printed URL, with its token. */
  url: string;
  token: string;
  /** The MAMORI_HOME the server stores in. */
  home: string;
  /** Everything the server printed so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then waits for the process to end; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real `mamori serve --no-open --port 0` (bin/mamori.js → dist/; builds nothing) with a fresh temp
 * MAMORI_HOME unless one is given, behind the network tripwire, and reads its URL from stdout.
 */
export function serve(
  opts: { home?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<Served> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'mamori-serve-'));
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'mamori.js'), 'serve', '--no-open', '--port', '0', ...(opts.args ?? [])],
    {
      cwd: root,
      env: {
        ...process.env,
        MAMORI_HOME: home,
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        NODE_OPTIONS: `--import=${tripwire}`,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mamori serve printed no URL within 30 s\n${stdout}\n${stderr}`));
    }, 30_000);
    child.stderr.on('data', (d: string) => (stderr += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mamori serve ended (${code}) before printing its URL\n${stdout}\n${stderr}`));
    });
    child.stdout.on('data', (d: string) => {
      stdout += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        origin: m[1]!,
        url: m[0],
        token: m[2]!,
        home,
        output: () => ({ stdout, stderr }),
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
