import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tripwire = fileURLToPath(new URL('../setup/deny-network.js', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real installed command (bin/mamori.js → dist/), behind the network tripwire. */
export function mamori(
  args: string[],
  opts: { input?: string | Uint8Array; env?: Record<string, string>; cwd?: string } = {},
): Run {
  const r = spawnSync(process.execPath, [`${root}/bin/mamori.js`, ...args], {
    cwd: opts.cwd ?? root,
    input: opts.input,
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      NODE_OPTIONS: `--import=${tripwire}`,
      ...opts.env,
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const repoRoot = root;
