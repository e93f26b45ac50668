import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadNotices } from '#adapters/knowledge/notices-load.ts';
import { parseWebhookUrl, WebhookUrlError, webhookNotifier } from '#adapters/notify/webhook-notifier.ts';
import { watchMailbox } from '#core/app/watch.ts';
import type { WatchedMail, WatchSource } from '#core/ports/watch.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { progressLine } from '#interfaces/cli/watch-command.ts';
import { translator } from '#interfaces/i18n.ts';
import { jcbNotice, phishingMail } from './mails.ts';
import { receiver } from './receiver.ts';

const knowledge = loadKnowledge();
const clock = { today: () => '2026-11-19', now: () => '2026-11-19T11:00:00.000Z' };
const source = (mails: Buffer[]): WatchSource => ({
  key: 'memory:hook',
  async *mails(): AsyncGenerator<WatchedMail> {
    for (const [i, b] of mails.entries())
      yield { uid: String(i + 1), bytes: b, cursor: { validity: '1', last: i + 1 } };
  },
  close() {},
});

describe('webhook alerts (ntfy-style POST through the Notifier port)', () => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver();
  });
  afterAll(() => new Promise<void>((r) => hook.server.close(() => r())));

  it('each alert is one POST: the sentence as plain text, Title / Priority / Tags headers; no alert, no POST', async () => {
    const t = translator(knowledge, 'ja');
    const errors: string[] = [];
    const notifier = webhookNotifier(parseWebhookUrl(hook.url), t.t, (host, why) =>
      errors.push(`${host} ${why}`),
    );
    const store = new MemoryStore();
    const deps = {
      store,
      knowledge: { check: knowledge, ledger: knowledge, notices: loadNotices() },
      clock,
      notifier,
    };
    const out = [];
    for await (const o of watchMailbox(
      source([phishingMail(), jcbNotice({ amount: 11, merchant: 'ロケツトナウ', id: 'h' })]),
      deps,
    ))
      out.push(o);
    await notifier.flush();
    expect(errors).toEqual([]);
    expect(out.map((o) => o.alert?.kind)).toEqual(['phishing', 'test-charge']);
    expect(hook.got).toHaveLength(2);
    const [phish, small] = hook.got;
    expect(phish!.method).toBe('POST');
    expect(phish!.url).toBe('/mamori-alerts');
    expect(phish!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(phish!.headers.title).toBe('mamori: phishing');
    expect(phish!.headers.priority).toBe('urgent');
    expect(phish!.headers.tags).toContain('rotating_light');
    expect(phish!.body).toBe(t.t('watch.alert.phishing', { ...out[0]!.alert!.params }));
    expect(small!.headers.title).toBe('mamori: test-charge');
    expect(small!.body).toContain('11');
  });

  it('a webhook that refuses or is not there is said (host only), and never stops the watcher', async () => {
    const refusing = await receiver(500);
    const errors: string[] = [];
    const n = webhookNotifier(
      parseWebhookUrl(refusing.url),
      (k) => k,
      (host, why) => errors.push(`${host} ${why}`),
    );
    n.notify({ key: 'watch.alert.phishing', params: {} });
    await n.flush();
    await new Promise<void>((r) => refusing.server.close(() => r()));
    const gone = webhookNotifier(
      parseWebhookUrl(refusing.url),
      (k) => k,
      (host, why) => errors.push(`${host} ${why}`),
    );
    gone.notify({ key: 'watch.alert.phishing', params: {} });
    await gone.flush();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^127\.0\.0\.1:\d+ HTTP 500$/);
    expect(errors[1]).toMatch(/ECONNREFUSED/);
    expect(errors.join()).not.toContain('mamori-alerts');
  });

  it('the URL: https, or http to this machine only; no user:password in it', () => {
    expect(parseWebhookUrl('https://ntfy.sh/my-topic').host).toBe('ntfy.sh');
    expect(parseWebhookUrl('http://localhost:8080/t').port).toBe('8080');
    const reason = (u: string) => {
      try {
        parseWebhookUrl(u);
        return null;
      } catch (e) {
        return e instanceof WebhookUrlError ? e.reason : 'other';
      }
    };
    expect(reason('http://ntfy.example.com/t')).toBe('insecure');
    expect(reason('https://me:secret@ntfy.sh/t')).toBe('credentials');
    expect(reason('ftp://ntfy.sh/t')).toBe('invalid');
    expect(reason('ntfy.sh/t')).toBe('invalid');
  });
});

describe('the catch-up progress bar', () => {
  it('fills with what is done', () => {
    expect(progressLine(0, 50_000, 10)).toBe('[----------] 0 / 50,000');
    expect(progressLine(25_000, 50_000, 10)).toBe('[#####-----] 25,000 / 50,000');
    expect(progressLine(50_000, 50_000, 10)).toBe('[##########] 50,000 / 50,000');
    expect(progressLine(3, 0, 4)).toBe('[----] 3 / 0');
  });
});
