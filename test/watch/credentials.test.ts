import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NoPasswordError, PasswordFileError, imapPassword } from '#adapters/imap/index.ts';
import { ImapUrlError, parseImapUrl } from '#adapters/imap/url.ts';

const dir = mkdtempSync(join(tmpdir(), 'mamori-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { env: {}, prompt: async () => null, onNoKeyring: () => {} };

describe('IMAP credentials', () => {
  it('--password-file first (its first line), then MAMORI_IMAP_PASSWORD', async () => {
    const f = join(dir, 'pw');
    writeFileSync(f, 'from-file\nignored\n');
    expect(
      await imapPassword('a', { ...base, passwordFile: f, env: { MAMORI_IMAP_PASSWORD: 'env' } }),
    ).toEqual({
      password: 'from-file',
      from: 'file',
    });
    expect(await imapPassword('a', { ...base, env: { MAMORI_IMAP_PASSWORD: 'env' } })).toEqual({
      password: 'env',
      from: 'env',
    });
    await expect(imapPassword('a', { ...base, passwordFile: join(dir, 'missing') })).rejects.toBeInstanceOf(
      PasswordFileError,
    );
  });

  it('without a keyring it says so and asks; nothing typed is no password', async () => {
    let told = 0;
    const deps = {
      env: { MAMORI_NO_KEYRING: '1' },
      onNoKeyring: () => told++,
      prompt: async () => 'typed',
    };
    expect(await imapPassword('a', deps)).toEqual({ password: 'typed', from: 'prompt' });
    expect(told).toBe(1);
    await expect(imapPassword('a', { ...deps, prompt: async () => null })).rejects.toBeInstanceOf(
      NoPasswordError,
    );
  });

  it('a typed password is offered for keeping; a given one only with keepGiven; a kept one is used next', async () => {
    const kept: string[] = [];
    const entry = { getPassword: () => kept[0] ?? null, setPassword: (p: string) => void kept.push(p) };
    const deps = { ...base, keyring: async () => entry, prompt: async () => 'typed' };
    const env = { MAMORI_IMAP_PASSWORD: 'env' };
    expect((await imapPassword('a', { ...deps, env })).save).toBeUndefined();
    const given = await imapPassword('a', { ...deps, env, keepGiven: true });
    const typed = await imapPassword('a', deps);
    expect(kept).toEqual([]);
    expect(typed.save?.()).toBe(true);
    expect(kept).toEqual(['typed']);
    expect(await imapPassword('a', deps)).toEqual({ password: 'typed', from: 'keyring' });
    expect(given.save?.()).toBe(true);
    expect(kept).toEqual(['typed', 'env']);
  });

  it('this machine: an OS keyring that cannot be used falls back to the prompt, and says so', async () => {
    let told = 0;
    const r = await imapPassword(`test-${process.pid}`, {
      env: {},
      onNoKeyring: () => told++,
      prompt: async () => 'typed',
    });
    expect(r.password).toBe('typed');
    // With a working Secret Service there is an entry to save into; without one, the person is told.
    expect(told === 1 || typeof r.save === 'function').toBe(true);
  });
});

describe('IMAP URLs', () => {
  it('TLS by default, STARTTLS required except to this machine, no password in the URL', () => {
    expect(parseImapUrl('imaps://taro@imap.example.jp')).toMatchObject({ port: 993, secure: true });
    expect(parseImapUrl('imap://taro@imap.example.jp')).toMatchObject({ port: 143, requireStartTls: true });
    expect(parseImapUrl('imap://taro@127.0.0.1:1143')).toMatchObject({ port: 1143, requireStartTls: false });
    expect(parseImapUrl('imap://taro%40gmail.com@localhost')).toMatchObject({ user: 'taro@gmail.com' });
    const e = (() => {
      try {
        parseImapUrl('imaps://taro:hunter2@imap.example.jp');
      } catch (err) {
        return err as ImapUrlError;
      }
    })();
    expect(e?.code).toBe('password-in-url');
    expect(e?.value).not.toContain('hunter2');
    expect(() => parseImapUrl('https://taro@x')).toThrow(ImapUrlError);
    expect(() => parseImapUrl('imaps://imap.example.jp')).toThrow(ImapUrlError);
  });
});
