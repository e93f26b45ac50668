import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapWatchSource } from '#adapters/imap/index.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadNotices } from '#adapters/knowledge/notices-load.ts';
import { SqliteStore } from '#adapters/store/store.ts';
import { alertMailNotifier, newAlertMailKey } from '#adapters/notify/mail-notifier.ts';
import { ALERT_MAIL_KEY_SETTING, watchMailbox, type WatchDeps, type WatchOutcome } from '#core/app/watch.ts';
import type { OrderLine } from '#core/ledger/types.ts';
import { mamori } from '../helpers/cli.ts';
import { filesUnder } from '../helpers/files.ts';
import { Dovecot, PASSWORD, Relay, USER, dovecotMissing } from './dovecot.ts';
import { translator } from '#interfaces/i18n.ts';
import { jcbNotice, newOrderMail, orderMail, phishingMail } from './mails.ts';
import { mamoriAsync, receiver } from './receiver.ts';

const missing = dovecotMissing();
if (missing) console.warn(`test/watch/imap.test.ts skipped: ${missing}`);

const knowledge = loadKnowledge();
const clock = { today: () => '2026-11-19', now: () => '2026-11-19T11:00:00.000Z' };
const target = (port: number) => ({
  host: '127.0.0.1',
  port,
  user: USER,
  secure: false,
  requireStartTls: false,
});

const line = (orderId: string, amount: number): OrderLine => ({
  key: `line|${orderId}`,
  orderId,
  storefront: 'amazon-jp',
  kind: 'physical',
  orderAt: '2026-11-18T10:00',
  shipDate: '2026-11-19',
  name: 'ノート',
  asin: null,
  quantity: 1,
  amount,
  currency: 'JPY',
  status: 'ok',
  payment: null,
  shipTo: null,
  seller: null,
  category: null,
  giftTo: null,
  source: { file: 'orders.csv', row: 2 },
});

async function append(port: number, ...mails: Buffer[]): Promise<void> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    // The test's own plain connection, also to the TLS server (its certificate is for the watcher's tests).
    doSTARTTLS: false,
    auth: { user: USER, pass: PASSWORD },
    logger: false,
  });
  await c.connect();
  for (const m of mails) await c.append('INBOX', m);
  await c.logout();
}

/** What the mailbox holds: sender, subject and raw text of each message, in UID order. */
async function inbox(port: number): Promise<{ from: string; subject: string; source: string }[]> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: USER, pass: PASSWORD },
    logger: false,
  });
  await c.connect();
  await c.mailboxOpen('INBOX');
  const all = await c.fetchAll('1:*', { envelope: true, source: true, uid: true });
  await c.logout();
  return all
    .sort((a, b) => a.uid - b.uid)
    .map((m) => ({
      from: m.envelope?.from?.[0]?.address ?? '',
      subject: m.envelope?.subject ?? '',
      source: m.source?.toString('utf8') ?? '',
    }));
}

async function runOnce(
  port: number,
  store: SqliteStore,
  extra: Partial<WatchDeps> = {},
): Promise<WatchOutcome[]> {
  const source = new ImapWatchSource({
    target: target(port),
    password: PASSWORD,
    mailbox: 'INBOX',
    once: true,
  });
  const out: WatchOutcome[] = [];
  for await (const o of watchMailbox(source, deps(store, extra))) out.push(o);
  return out;
}

const deps = (store: SqliteStore, extra: Partial<WatchDeps> = {}): WatchDeps => ({
  store,
  knowledge: { check: knowledge, ledger: knowledge, notices: loadNotices() },
  clock,
  ...extra,
});

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(missing !== null)('mamori watch against a real Dovecot', () => {
  let server: Dovecot;
  let home: string;
  beforeAll(async () => {
    server = new Dovecot();
    await server.start();
    home = mkdtempSync(join(tmpdir(), 'mamori-watch-'));
  });
  afterAll(async () => {
    await server?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('a phishing mail appended while watching raises one alert; a restart does not raise it again', async () => {
    const store = new SqliteStore(join(home, 'idle.db'));
    const relay = new Relay(server.port);
    await relay.start();
    const source = new ImapWatchSource({
      target: target(relay.port),
      password: PASSWORD,
      mailbox: 'INBOX',
      backoff: { min: 100, max: 500 },
    });
    const seen: WatchOutcome[] = [];
    const loop = (async () => {
      for await (const o of watchMailbox(source, deps(store))) seen.push(o);
    })();
    await until(() => relay.connections > 0);
    await new Promise((r) => setTimeout(r, 300));
    await append(server.port, phishingMail());
    await until(() => seen.length === 1);
    expect(seen[0]!.verdict).toBe('phishing');
    expect(seen[0]!.alert?.kind).toBe('phishing');

    // The line drops mid-IDLE; a mail that arrives meanwhile is still caught once reconnected.
    relay.cut();
    await append(server.port, orderMail());
    await until(() => seen.length === 2, 15_000);
    expect(seen[1]!.event.kind).toBe('order');
    expect(seen[1]!.event.order?.orderId).toBe('249-1234567-7654321');
    await source.close();
    await loop;
    await relay.close();
    expect((await store.alerts()).map((a) => a.kind)).toEqual(['phishing']);

    // A restart: nothing new, nothing twice.
    expect(await runOnce(server.port, store)).toEqual([]);
    expect(await store.alerts()).toHaveLength(1);
    store.close();
  });

  it('a UIDVALIDITY change re-scans safely: no mail judged twice, no duplicate alert', async () => {
    const store = new SqliteStore(join(home, 'idle.db'));
    const before = await store.watchCursor(`imap://${USER}@127.0.0.1:${server.port}/INBOX`);
    await server.stop();
    server.resetUids();
    await server.start();
    await append(server.port, jcbNotice({ amount: 4321, merchant: 'アマゾン', id: 'uv' }));
    const out = await runOnce(server.port, store);
    const after = await store.watchCursor(`imap://${USER}@127.0.0.1:${server.port}/INBOX`);
    expect(after?.validity).not.toBe(before?.validity);
    expect(out.map((o) => o.event.kind)).toEqual(['charge']);
    expect((await store.alerts()).filter((a) => a.kind === 'phishing')).toHaveLength(1);
    store.close();
  });

  it('wrong credentials give a clear message, without the password', () => {
    const r = mamori(['watch', '--imap', `imap://${USER}@127.0.0.1:${server.port}`, '--once'], {
      env: { MAMORI_HOME: home, MAMORI_IMAP_PASSWORD: 'wrong-pass-42', MAMORI_NO_KEYRING: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ログインできませんでした');
    expect(r.stderr + r.stdout).not.toContain('wrong-pass-42');
    const en = mamori(
      ['watch', '--imap', `imap://${USER}@127.0.0.1:${server.port}`, '--once', '--lang', 'en'],
      {
        env: { MAMORI_HOME: home, MAMORI_IMAP_PASSWORD: 'wrong-pass-42', MAMORI_NO_KEYRING: '1' },
      },
    );
    expect(en.stderr).toContain('Could not log in');
  });

  it('card notices: matching a stored order raises nothing, matching nothing raises one, a forged one is no charge', async () => {
    const store = new SqliteStore(join(home, 'cards.db'));
    await store.importFile('orders.csv', 'test', async (sink) =>
      sink.line(line('249-7654321-1234567', 2980)),
    );
    await runOnce(server.port, store); // catch up on what earlier tests left
    await append(
      server.port,
      jcbNotice({ amount: 2980, merchant: 'アマゾン', id: 'match' }),
      jcbNotice({ amount: 15800, merchant: 'アマゾン', id: 'nomatch' }),
      jcbNotice({ amount: 9999, merchant: 'アマゾン', id: 'forged', forged: true }),
    );
    const out = await runOnce(server.port, store);
    expect(out.map((o) => [o.event.kind, o.alert?.kind ?? null])).toEqual([
      ['charge', null],
      ['charge', 'charge'],
      ['phishing', 'phishing'],
    ]);
    expect(out[2]!.event.charges).toBeUndefined();
    const charges = (await store.watchEvents()).flatMap((e) => e.charges ?? []).map((c) => c.charge.amount);
    expect(charges).not.toContain(9999);
    store.close();
  });

  it('mamori watch --once --json: three mails, three events, the right alerts; a second run prints nothing', async () => {
    const box = new Dovecot();
    await box.start();
    const hook = await receiver();
    const t = translator(knowledge, 'ja');
    try {
      await append(
        box.port,
        phishingMail(),
        orderMail(),
        jcbNotice({ amount: 1290, merchant: 'アマゾン', id: 'cli' }),
      );
      const cliHome = mkdtempSync(join(tmpdir(), 'mamori-watch-cli-'));
      const pw = join(cliHome, 'pw');
      writeFileSync(pw, `${PASSWORD}\n`, { mode: 0o600 });
      const env = (now: string) => ({ MAMORI_HOME: cliHome, MAMORI_NOW: now });
      // Alerts also go to a webhook (a setting), here a receiver on 127.0.0.1.
      const set = await mamoriAsync(['watch', '--webhook', hook.url], env('2026-11-19T20:00:00+09:00'));
      expect(set.status, set.stderr).toBe(0);
      // And written into the mailbox as mamori's own mail (IMAP APPEND; nothing sent).
      const mail = await mamoriAsync(['watch', '--alert-mail', 'on'], env('2026-11-19T20:00:00+09:00'));
      expect(mail.status, mail.stderr).toBe(0);
      const args = [
        'watch',
        '--imap',
        `imap://${USER}@127.0.0.1:${box.port}`,
        '--once',
        '--json',
        '--password-file',
        pw,
      ];
      const rows = (stdout: string) =>
        stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as WatchOutcome);
      const r = await mamoriAsync(args, env('2026-11-19T20:00:00+09:00'));
      expect(r.stderr).not.toContain(PASSWORD);
      expect(r.status, r.stderr).toBe(0);
      const first = rows(r.stdout);
      expect(first.map((o) => Object.keys(o).sort())).toEqual(
        Array(3).fill(['alert', 'brand', 'event', 'uid', 'verdict']),
      );
      // The phishing mail alerts; the order mail (already there at the first run) is learned as history.
      expect(first.map((o) => [o.uid, o.verdict, o.brand, o.event.kind, o.alert?.kind ?? null])).toEqual([
        ['1', 'phishing', 'amazon-jp', 'phishing', 'phishing'],
        ['2', 'legitimate', 'amazon-jp', 'order', null],
        ['3', 'legitimate', 'jcb', 'charge', null],
      ]);
      expect(first[1]!.event.order?.orderId).toBe('249-1234567-7654321');
      expect(first[2]!.event.charges?.[0]?.charge.amount).toBe(1290);
      expect(r.stderr).toContain(t.t('watch.learning'));
      expect(r.stderr).toContain(t.t('watch.learned', { count: 1 }));
      expect(hook.got.map((h) => h.headers.title)).toEqual(['mamori: phishing']);
      // What happened, the evidence and the first step of the plan, as in the terminal.
      const body = hook.got[0]!.body;
      expect(body.split('\n')[0]).toBe(t.t('watch.alert.phishing', { ...first[0]!.alert!.params }));
      // The evidence in words (each finding's title), never the rule ids.
      expect(body).toContain(`${t.t('watch.label.evidence')}:`);
      for (const id of first[0]!.alert!.evidence) {
        expect(body).toContain(`・${t.finding(id, { brand: 'Amazon.co.jp' }).title}`);
        expect(body).not.toContain(id);
      }
      expect(body).toContain(t.t('watch.label.first-step'));

      // The alert mail is in the mailbox, after the three (none moved or deleted), and it is mamori's.
      const box1 = await inbox(box.port);
      expect(box1.map((m) => m.from)).toEqual([
        'account-notice@amazon-co-jp.support-center.cn',
        'auto-confirm@amazon.co.jp',
        'mail@qa.jcb.co.jp',
        'mamori@localhost.invalid',
      ]);
      expect(box1[3]!.subject).toMatch(/^\[mamori\] /);
      expect(box1[3]!.source).toContain(`X-Mamori-Alert: ${first[0]!.alert!.id} `);
      // The next run skips mamori's own mail (its signature verifies): nothing new.
      const again = await mamoriAsync(args, env('2026-11-19T21:00:00+09:00'));
      expect(again.status).toBe(0);
      expect(again.stdout.trim()).toBe('');
      expect(again.stderr).not.toContain(t.t('watch.learning'));

      // After the first run: an order the person has not seen raises an alert (and its POST).
      await append(box.port, newOrderMail({ orderId: '249-8888888-0000001', date: '2026-11-19T12:30:00Z' }));
      const third = rows((await mamoriAsync(args, env('2026-11-19T21:45:00+09:00'))).stdout);
      expect(third.map((o) => [o.event.kind, o.alert?.kind ?? null])).toEqual([['order', 'new-order']]);
      expect(hook.got.map((h) => h.headers.title)).toEqual(['mamori: phishing', 'mamori: new-order']);

      // The password is nowhere in what mamori keeps (the store, its journal) but the file it was given.
      for (const f of filesUnder(cliHome, /./).filter((f) => f !== pw))
        expect(readFileSync(f).includes(PASSWORD), f).toBe(false);
      const alerts = mamori(['watch', '--alerts', '--json'], { env: { MAMORI_HOME: cliHome } });
      expect((JSON.parse(alerts.stdout) as { kind: string }[]).map((a) => a.kind)).toEqual([
        'phishing',
        'new-order',
      ]);
      rmSync(cliHome, { recursive: true, force: true });
    } finally {
      await box.dispose();
      await new Promise<void>((r) => hook.server.close(() => r()));
    }
  });
});

describe.skipIf(missing !== null)(
  'TLS: imaps:// and STARTTLS against a Dovecot with a self-signed certificate',
  () => {
    let tls: Dovecot;
    let plain: Dovecot;
    beforeAll(async () => {
      tls = new Dovecot(true);
      await tls.start();
      plain = new Dovecot();
      await plain.start();
      await append(tls.port, phishingMail());
    });
    afterAll(async () => {
      await tls?.dispose();
      await plain?.dispose();
    });

    const catchUp = async (t: ReturnType<typeof target>, ca?: string) => {
      const store = new SqliteStore(':memory:');
      const source = new ImapWatchSource({
        target: t,
        password: PASSWORD,
        mailbox: 'INBOX',
        once: true,
        maxAttempts: 1,
        ...(ca ? { tls: { ca } } : {}),
      });
      try {
        const out: WatchOutcome[] = [];
        for await (const o of watchMailbox(source, deps(store))) out.push(o);
        return out.map((o) => o.event.kind);
      } finally {
        store.close();
      }
    };

    it('imaps:// (implicit TLS) with the certificate trusted', async () => {
      expect(await catchUp({ ...target(tls.tlsPort), secure: true }, tls.ca)).toEqual(['phishing']);
    });

    it('imaps:// refuses a certificate nobody trusts', async () => {
      await expect(catchUp({ ...target(tls.tlsPort), secure: true })).rejects.toMatchObject({
        name: 'ImapConnectError',
      });
    });

    it('imap:// upgrades with STARTTLS when it is required', async () => {
      expect(await catchUp({ ...target(tls.port), requireStartTls: true }, tls.ca)).toEqual(['phishing']);
    });

    it('imap:// to a server without STARTTLS is refused when STARTTLS is required: no password in clear', async () => {
      await expect(catchUp({ ...target(plain.port), requireStartTls: true })).rejects.toMatchObject({
        name: 'ImapConnectError',
      });
      expect(plain.log()).not.toMatch(/auth.*alice|Login: user=<alice>/);
    });
  },
);

describe.skipIf(missing !== null)('alert mails and --move-phishing', () => {
  it('an alert mail to oneself is APPENDed to the watched mailbox, skipped next time; a copy with another body is judged', async () => {
    const box = new Dovecot();
    await box.start();
    try {
      await append(box.port, phishingMail());
      const home = mkdtempSync(join(tmpdir(), 'mamori-alert-mail-'));
      const store = new SqliteStore(join(home, 'alert-mail.db'));
      const key = newAlertMailKey();
      await store.setSetting(ALERT_MAIL_KEY_SETTING, key);
      const source = new ImapWatchSource({
        target: target(box.port),
        password: PASSWORD,
        mailbox: 'INBOX',
        once: true,
      });
      const mailer = alertMailNotifier({
        to: 'alice@example.jp',
        key,
        text: (k, p) => `${k} ${String(p?.id)}`,
        subject: (k) => k,
        footer: 'written by mamori',
        append: (b) => source.append(b),
      });
      const out: WatchOutcome[] = [];
      for await (const o of watchMailbox(source, deps(store, { notifier: mailer }))) out.push(o);
      await mailer.flush();
      await source.close();
      expect(out.map((o) => o.alert?.kind)).toEqual(['phishing']);
      const held = await inbox(box.port);
      expect(held).toHaveLength(2);
      expect(held[1]!.from).toBe('mamori@localhost.invalid');
      expect(held[1]!.subject).toBe('[mamori] watch.alert.phishing');
      expect(Buffer.from(held[1]!.source.split('\r\n\r\n')[1]!, 'base64').toString('utf8')).toContain(
        `watch.alert.phishing ${out[0]!.alert!.id}\n\nwritten by mamori`,
      );
      // Skipped (the cursor moves past it), never judged, never an alert of its own.
      expect(await runOnce(box.port, store)).toEqual([]);
      expect((await store.watchCursor(`imap://${USER}@127.0.0.1:${box.port}/INBOX`))?.last).toBe(2);
      // A phishing mail that copies the header onto another body is judged like any mail.
      const forged = held[1]!.source.replace(
        /\r\n\r\n[\s\S]*$/,
        '\r\n\r\n' + Buffer.from('fake').toString('base64') + '\r\n',
      );
      await append(box.port, Buffer.from(forged));
      expect(await runOnce(box.port, store)).toHaveLength(1);
      expect((await store.alerts()).map((a) => a.kind)).toEqual(['phishing']);
      store.close();
      rmSync(home, { recursive: true, force: true });
    } finally {
      await box.dispose();
    }
  });

  it('moves a phishing mail to the folder (created), never deletes, leaves the others', async () => {
    const box = new Dovecot();
    await box.start();
    try {
      await append(box.port, phishingMail(), orderMail());
      const store = new SqliteStore(':memory:');
      const out = await runOnce(box.port, store, { moveTo: 'Phishing' });
      expect(out.map((o) => o.event.kind)).toEqual(['phishing', 'order']);
      const c = new ImapFlow({
        host: '127.0.0.1',
        port: box.port,
        secure: false,
        auth: { user: USER, pass: PASSWORD },
        logger: false,
      });
      await c.connect();
      const inbox = await c.status('INBOX', { messages: true });
      const moved = await c.status('Phishing', { messages: true });
      await c.logout();
      expect([inbox && inbox.messages, moved && moved.messages]).toEqual([1, 1]);
      store.close();
    } finally {
      await box.dispose();
    }
  });
});
