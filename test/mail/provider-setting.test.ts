import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '#adapters/store/store.ts';
import { PROVIDER_SETTING, rememberProvider, storedProvider } from '#core/mail/provider-setting.ts';
import { mamori } from '../helpers/cli.ts';

const homes: string[] = [];
const home = () => {
  const h = mkdtempSync(join(tmpdir(), 'mamori-provider-'));
  homes.push(h);
  return h;
};
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('the mail provider remembered in the store (SQLite)', () => {
  it('is none before anything is set, also in a store that does not exist yet', async () => {
    const h = home();
    const r = SqliteStore.openReadOnly(h);
    try {
      expect(await storedProvider(r)).toBeNull();
    } finally {
      r.close();
    }
  });

  it('is remembered across opening the store again, and forgotten with null', async () => {
    const h = home();
    const w = SqliteStore.open(h);
    expect(await rememberProvider(w, 'gmail')).toEqual({ ok: true });
    w.close();
    const r = SqliteStore.openReadOnly(h);
    expect(await storedProvider(r)).toBe('gmail');
    r.close();
    const w2 = SqliteStore.open(h);
    await rememberProvider(w2, null);
    expect(await storedProvider(w2)).toBeNull();
    w2.close();
  });

  it('refuses an unknown provider and keeps what was set', async () => {
    const h = home();
    const w = SqliteStore.open(h);
    await rememberProvider(w, 'yahoo-japan');
    expect(await rememberProvider(w, 'hotmail')).toEqual({ ok: false, unknown: 'hotmail' });
    expect(await storedProvider(w)).toBe('yahoo-japan');
    w.close();
  });

  it('reads a stored value that names no provider (written by something else) as none', async () => {
    const h = home();
    const w = SqliteStore.open(h);
    await w.setSetting(PROVIDER_SETTING, 'not-a-provider');
    expect(await storedProvider(w)).toBeNull();
    w.close();
  });
});

describe('check uses the remembered provider when --provider is not given (the CLI, a real SQLite store)', () => {
  // Google Workspace on the person's own domain: the entry hop is by their MX name, the results by mx.google.com.
  const raw = [
    'Received: by 2002:a05:6a10:1234:0:0:0:0 with SMTP id x; Thu, 19 Nov 2026 03:12:02 -0800 (PST)',
    'Authentication-Results: mx.google.com; dkim=pass header.i=@amazon.co.jp header.s=s1; spf=pass (google.com: domain of 2026111903120001@bounces.amazon.co.jp designates 54.240.25.2 as permitted sender) smtp.mailfrom=2026111903120001@bounces.amazon.co.jp; dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=amazon.co.jp',
    'Received: from a25-2.smtp-out.us-west-2.amazonses.com (a25-2.smtp-out.us-west-2.amazonses.com [54.240.25.2]) by mx.yamada-family.example with ESMTPS id y; Thu, 19 Nov 2026 03:12:01 -0800 (PST)',
    'From: "Amazon.co.jp" <auto-confirm@amazon.co.jp>',
    'To: taro@yamada-family.example',
    'Subject: Amazon.co.jpでのご注文',
    'Date: Thu, 19 Nov 2026 03:12:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    '山田 太郎 様',
    'ご注文の詳細は注文履歴でご確認いただけます: https://www.amazon.co.jp/gp/css/order-history',
    '',
  ].join('\r\n');

  it('believes the provider it remembers, and --provider still wins', () => {
    const h = home();
    const file = join(h, 'order.eml');
    writeFileSync(file, raw);
    const env = { MAMORI_HOME: h };
    const verdict = (args: string[]) =>
      (JSON.parse(mamori(['check', file, '--json', ...args], { env }).stdout.trim()) as { verdict: string })
        .verdict;
    const before = verdict([]);
    expect(before).not.toBe('legitimate');
    expect(mamori(['config', 'provider', 'gmail'], { env }).status).toBe(0);
    expect(verdict([])).toBe('legitimate');
    expect(verdict(['--provider', 'icloud'])).toBe(before);
    expect(mamori(['config', 'provider', '--clear'], { env }).status).toBe(0);
    expect(verdict([])).toBe(before);
  });
});
