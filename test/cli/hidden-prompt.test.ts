import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mamori, repoRoot } from '../helpers/cli.ts';

// The checkup's password on a real terminal: a pseudo-terminal (python3's pty, which the SQLite build needs
// anyway) types it; it must not be echoed, and the checkup must still score it.
const driver = String.raw`
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
def drain(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return False
    return True
drain(1.5)
os.write(fd, b'Kuma-no-Pooh-1987!\r')
while drain(0.5):
    pass
sys.stdout.write(out.decode('utf8', 'replace'))
`;

describe('checkup on a terminal', () => {
  it('asks for the password without echoing it, and scores it', () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-pty-'));
    const env = { MAMORI_HOME: home, MAMORI_TODAY: '2026-11-21' };
    expect(mamori(['case', 'new', '--situation', 'entered-password'], { env }).status).toBe(0);
    const r = spawnSync(
      'python3',
      [
        '-c',
        driver,
        process.execPath,
        join(repoRoot, 'bin/mamori.js'),
        'case',
        'checkup',
        'C-20261121-1',
        '--password-stdin',
      ],
      {
        env: {
          ...process.env,
          ...env,
          NO_COLOR: '1',
          NODE_OPTIONS: `--import=${join(repoRoot, 'test/setup/deny-network.js')}`,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/画面に出ません/);
    expect(r.stdout).toMatch(/パスワードの強さ/);
    expect(r.stdout).not.toContain('Kuma-no-Pooh');
  });
});
