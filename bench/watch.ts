import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapWatchSource } from '#adapters/imap/index.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadNotices } from '#adapters/knowledge/notices-load.ts';
import { SqliteStore } from '#adapters/store/store.ts';
import { watchMailbox } from '#core/app/watch.ts';
import { Dovecot, PASSWORD, USER } from '../test/watch/dovecot.ts';
import { jcbNotice, orderMail, phishingMail } from '../test/watch/mails.ts';

/**
 * A mailbox spans years: about ten card notices a day from 2022 on (all on one day, each new charge would be
 * reconciled with every other one: a mailbox no person has, and a quadratic run).
 */
const noticeDate = (i: number) => {
  const d = new Date(Date.UTC(2022, 0, 1) + Math.floor(i / 30) * 86_400_000);
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()} 19:47`;
};

/**
 * Catching up on a mailbox of 50,000 mails (BENCH_WATCH_MAILS) over IMAP from a real Dovecot: mails per second and
 * the process's heap and RSS at each tenth, which must stay flat (one fetch batch in memory, one event list).
 */
export async function benchWatch(): Promise<void> {
  if (!existsSync('/usr/sbin/dovecot')) {
    console.log('watch: skipped (no /usr/sbin/dovecot)');
    return;
  }
  const count = Number(process.env.BENCH_WATCH_MAILS ?? 50_000);
  const server = new Dovecot();
  await server.start();
  const home = mkdtempSync(join(tmpdir(), 'mamori-bench-watch-'));
  try {
    // Written straight into the Maildir (APPENDing 50,000 mails would measure Dovecot, not the watcher); each
    // mail made unique by its Message-ID so none is skipped as seen.
    const md = server.maildir;
    for (const s of ['new', 'cur', 'tmp']) mkdirSync(join(md, s), { recursive: true });
    const kinds = [phishingMail(), orderMail()];
    for (let i = 0; i < count; i++) {
      const base =
        i % 3 === 2
          ? jcbNotice({ amount: 500 + (i % 9000), merchant: 'アマゾン', id: `b${i}`, date: noticeDate(i) })
          : kinds[i % 3]!;
      writeFileSync(
        join(md, 'new', `${1_700_000_000 + i}.M${i}.bench`),
        Buffer.concat([Buffer.from(`X-Bench: ${i}\r\n`), base]),
      );
    }
    if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'nobody:nogroup', server.dir]);
    const store = new SqliteStore(join(home, 'bench.db'));
    const knowledge = loadKnowledge();
    const clock = { today: () => '2026-11-19', now: () => new Date().toISOString() };
    const source = new ImapWatchSource({
      target: { host: '127.0.0.1', port: server.port, user: USER, secure: false, requireStartTls: false },
      password: PASSWORD,
      mailbox: 'INBOX',
      once: true,
    });
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const samples: string[] = [];
    let n = 0;
    let peakRss = 0;
    for await (const o of watchMailbox(source, {
      store,
      knowledge: { check: knowledge, ledger: knowledge, notices: loadNotices() },
      clock,
    })) {
      void o;
      n++;
      if (n % Math.max(1, Math.floor(count / 10)) === 0) {
        // With --expose-gc (`npm run bench` passes it), the heap is read after a collection: what is live, not
        // what the collector has not got round to.
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        samples.push(
          `${n}: heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(m.rss / 2 ** 20).toFixed(0)} MB`,
        );
      }
    }
    const s = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    store.close();
    console.log(
      `watch: caught up on ${n} mails over IMAP in ${s.toFixed(1)} s (${(n / s).toFixed(0)} mails/s), ${cpuS.toFixed(1)} s of CPU (${(n / cpuS).toFixed(0)} mails/s of CPU), peak rss ${(peakRss / 2 ** 20).toFixed(0)} MB`,
    );
    for (const l of samples) console.log(`  ${l}`);
  } finally {
    await server.dispose();
    rmSync(home, { recursive: true, force: true });
  }
}
