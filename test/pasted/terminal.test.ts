import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mamori, repoRoot } from '../helpers/cli.ts';

// A person at a terminal (python3's pty): sees what was read, then answers the question; what is typed after
// each pause is given in argv as JSON.
const driver = String.raw`
import os, pty, sys, time, select, json
steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
def drain(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                return False
    return True
for s in steps:
    drain(1.5)
    os.write(fd, s.encode('utf8'))
while drain(0.5):
    pass
sys.stdout.write(out.decode('utf8', 'replace'))
`;

function atTerminal(steps: string[], args: string[], home: string) {
  return spawnSync(
    'python3',
    ['-c', driver, JSON.stringify(steps), process.execPath, join(repoRoot, 'bin/mamori.js'), ...args],
    {
      env: {
        ...process.env,
        MAMORI_HOME: home,
        NO_COLOR: '1',
        NODE_OPTIONS: `--import=${join(repoRoot, 'test/setup/deny-network.js')}`,
      },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

const storedOrders = (home: string) => {
  const r = mamori(['reconcile', '--statement', 'samples/ledger/vpass.csv', '--json'], {
    env: { MAMORI_HOME: home },
  });
  return JSON.parse(r.stdout).summary.orders as number;
};

describe('import of a pasted page on a terminal', () => {
  it('asks before storing: "n" stores nothing, "y" stores', () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-pty-paste-'));
    const no = atTerminal(['n\r'], ['import', 'test/fixtures/pasted/transactions-ja-phone.txt'], home);
    expect(no.status, no.stderr).toBe(0);
    expect(no.stdout).toContain('保存しますか');
    expect(no.stdout).toContain('保存しませんでした');
    expect(storedOrders(home)).toBe(0);
    const yes = atTerminal(['y\r'], ['import', 'test/fixtures/pasted/transactions-ja-phone.txt'], home);
    expect(yes.stdout).toContain('保存しました');
    // Two charges make two orders (the refund is kept apart).
    expect(storedOrders(home)).toBe(2);
  });

  it('text pasted at the prompt (ended with Ctrl-D), then the question on the same terminal', () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-pty-paste-'));
    const page = '取引\r2026年9月6日\rVisa ****1234\r-￥1,580\r注文番号 503-0000001-0000001\rAMAZON.CO.JP\r';
    const r = atTerminal([page, '\x04', 'y\r'], ['import', '-'], home);
    expect(r.stdout).toContain('貼り付けて');
    expect(r.stdout).toContain('503-0000001-0000001');
    expect(r.stdout).toContain('保存しました');
    expect(storedOrders(home)).toBe(1);
  });
});
