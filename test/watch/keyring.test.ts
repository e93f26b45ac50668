import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyEntry } from '#adapters/imap/index.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import type { Terminal } from '#interfaces/cli/prompt.ts';
import { runWatch, type WatchOptions } from '#interfaces/cli/watch-command.ts';
import { translator } from '#interfaces/i18n.ts';
import { mamori } from '../helpers/cli.ts';
import { Dovecot, PASSWORD, USER, dovecotMissing } from './dovecot.ts';
import { orderMail } from './mails.ts';

/**
 * The IMAP password and the OS keyring, through `runWatch` against a real Dovecot: a typed password is kept only
 * if the person answers yes (default no), never without a terminal, and `--save-password` keeps it without asking.
 * The terminal and the keyring are the injected ones (this machine has no Secret Service to write into).
 */
const missing = dovecotMissing();
if (missing) console.warn(`test/watch/keyring.test.ts skipped: ${missing}`);

const knowledge = loadKnowledge();
const clock = { today: () => '2026-11-19', now: () => '2026-11-19T11:00:00.000Z' };

/** A terminal that answers from a script, or (answers null) no terminal; it records what it was asked. */
function terminal(password: string | null, answer: string | null) {
  const asked: string[] = [];
  const term: Terminal = {
    hidden: async (q) => (asked.push(q), password),
    line: async (q) => (asked.push(q), answer),
  };
  return { term, asked };
}

/** A keyring with nothing stored that records what is kept. */
function keyring() {
  const kept: string[] = [];
  const entry: KeyEntry = { getPassword: () => null, setPassword: (p) => void kept.push(p) };
  return { open: async () => entry, kept };
}

describe.skipIf(missing !== null)('the IMAP password and the OS keyring (mamori watch)', () => {
  let server: Dovecot;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'mamori-keyring-'));
    server = new Dovecot();
    await server.start();
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: server.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
    });
    await c.connect();
    await c.append('INBOX', orderMail());
    await c.logout();
  });
  afterAll(async () => {
    await server?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function watch(
    lang: 'ja' | 'en',
    term: Terminal,
    open: () => Promise<KeyEntry | null>,
    extra: Partial<WatchOptions> = {},
    env: Record<string, string> = {},
  ) {
    const err: string[] = [];
    const t = translator(knowledge, lang);
    const status = await runWatch(
      { imap: `imap://${USER}@127.0.0.1:${server.port}`, mailbox: 'INBOX', once: true, ...extra },
      {
        knowledge,
        t,
        io: { out: () => {}, err: (s) => void err.push(s) },
        clock,
        // A new store each run: the one mail is new each time, so the login is proven each time.
        store: () => new MemoryStore(),
        terminal: term,
        keyring: open,
        env,
      },
    );
    return { status, err: err.join('\n'), t };
  }

  it('a typed password, answered yes: asked once after the password, kept once it logged in', async () => {
    for (const [lang, yes] of [
      ['ja', 'y'],
      ['en', 'Yes'],
      ['ja', 'はい'],
    ] as const) {
      const { term, asked } = terminal(PASSWORD, yes);
      const k = keyring();
      const r = await watch(lang, term, k.open);
      expect(r.status).toBe(0);
      expect(asked).toEqual([
        r.t.t('watch.password-prompt', { user: USER, host: '127.0.0.1' }),
        r.t.t('watch.keyring-ask'),
      ]);
      expect(asked[1]).toContain('[y/N]');
      expect(k.kept).toEqual([PASSWORD]);
      expect(r.err).toContain(r.t.t('watch.keyring-saved'));
    }
  });

  it('a typed password, answered with Enter alone or no: not kept', async () => {
    for (const answer of ['', 'n', 'no', ' N ']) {
      const { term, asked } = terminal(PASSWORD, answer);
      const k = keyring();
      const r = await watch('en', term, k.open);
      expect(r.status).toBe(0);
      expect(asked).toHaveLength(2);
      expect(k.kept).toEqual([]);
      expect(r.err).not.toContain(r.t.t('watch.keyring-saved'));
    }
  });

  it('no terminal: nothing asked, nothing kept (the password from MAMORI_IMAP_PASSWORD, or none at all)', async () => {
    const none = terminal(null, null);
    const k = keyring();
    const r = await watch('ja', none.term, k.open, {}, { MAMORI_IMAP_PASSWORD: PASSWORD });
    expect(r.status).toBe(0);
    expect(none.asked).toEqual([]);
    expect(k.kept).toEqual([]);
    // Without a password to use, the password prompt finds no terminal: the person is told, nothing is kept.
    const r2 = await watch('ja', none.term, k.open);
    expect(r2.status).toBe(1);
    expect(r2.err).toContain(r2.t.t('watch.error.no-password'));
    expect(none.asked).toHaveLength(1);
    expect(k.kept).toEqual([]);
  });

  it('--save-password keeps it without asking (a typed one, and one given without a terminal); --no-save-password never asks', async () => {
    const typed = terminal(PASSWORD, 'n');
    const k = keyring();
    expect((await watch('en', typed.term, k.open, { savePassword: true })).status).toBe(0);
    expect(typed.asked).toHaveLength(1);
    expect(k.kept).toEqual([PASSWORD]);

    const none = terminal(null, null);
    const k2 = keyring();
    const r = await watch(
      'en',
      none.term,
      k2.open,
      { savePassword: true },
      { MAMORI_IMAP_PASSWORD: PASSWORD },
    );
    expect(none.asked).toEqual([]);
    expect(k2.kept).toEqual([PASSWORD]);
    expect(r.err).toContain(r.t.t('watch.keyring-saved'));

    const never = terminal(PASSWORD, 'y');
    const k3 = keyring();
    expect((await watch('en', never.term, k3.open, { savePassword: false })).status).toBe(0);
    expect(never.asked).toHaveLength(1);
    expect(k3.kept).toEqual([]);
  });

  it('the CLI takes --save-password; without a keyring it says the password cannot be kept', () => {
    const r = mamori(
      [
        'watch',
        '--imap',
        `imap://${USER}@127.0.0.1:${server.port}`,
        '--once',
        '--save-password',
        '--lang',
        'en',
      ],
      { env: { MAMORI_HOME: home, MAMORI_IMAP_PASSWORD: PASSWORD, MAMORI_NO_KEYRING: '1' } },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('no OS password store');
  });
});
