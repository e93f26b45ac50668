import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Alert, Notifier } from '#core/ports/notifier.ts';

/** The setting (Store.getSetting) that holds the webhook URL; empty or missing: no webhook. */
export const WEBHOOK_SETTING = 'watch.webhook';

export class WebhookUrlError extends Error {
  constructor(readonly reason: 'invalid' | 'insecure' | 'credentials') {
    super(`webhook URL ${reason}`);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A webhook URL the person gave: https, or http only to this machine (an alert names the sender and the subject:
 * never in clear over a network). No user:password in it (it is stored as a setting, in clear).
 */
export function parseWebhookUrl(value: string): URL {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new WebhookUrlError('invalid');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new WebhookUrlError('invalid');
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) throw new WebhookUrlError('insecure');
  if (u.username || u.password) throw new WebhookUrlError('credentials');
  return u;
}

/** ntfy priorities (1–5 as words) by alert kind: a phishing mail or an unexplained charge is urgent. */
const PRIORITY: Record<string, string> = {
  phishing: 'urgent',
  charge: 'urgent',
  'test-charge': 'urgent',
  'test-charge-cancelled': 'urgent',
  'new-order': 'high',
  'risky-order': 'high',
  'security-notice': 'high',
};

export interface WebhookNotifier extends Notifier {
  /** Resolves once every POST started so far has finished or failed (a `--once` run waits for it). */
  flush(): Promise<void>;
}

/**
 * Alerts as an ntfy-style webhook POST: the alert's sentence as a plain UTF-8 body, with `Title`, `Priority`
 * and `Tags` headers (ASCII: HTTP headers carry no Japanese). Fire and forget: a webhook that fails or hangs
 * (10 s) never stops the watcher; `onError` is told the host and the reason, never the full URL (a topic name
 * is a secret of sorts).
 */
export function webhookNotifier(
  url: URL,
  text: (key: string, params?: Record<string, unknown>) => string,
  onError: (host: string, reason: string) => void = () => {},
): WebhookNotifier {
  const pending = new Set<Promise<void>>();
  const post = (a: Alert) =>
    new Promise<void>((resolve) => {
      const kind = a.key.replace(/^watch\.alert\./u, '');
      const body = Buffer.from(text(a.key, a.params), 'utf8');
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          timeout: 10_000,
          // One connection per alert, closed after: no pooled socket keeps a finished run alive.
          agent: false,
          headers: {
            'Content-Type': 'text/plain; charset=utf-8',
            'Content-Length': body.length,
            Title: `mamori: ${kind}`,
            Priority: PRIORITY[kind] ?? 'default',
            Tags: (PRIORITY[kind] ?? 'default') === 'urgent' ? 'rotating_light,mamori' : 'warning,mamori',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 300) onError(url.host, `HTTP ${res.statusCode}`);
            resolve();
          });
          res.on('error', () => resolve());
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        onError(url.host, e.code ?? e.message);
        resolve();
      });
      req.end(body);
    });
  return {
    notify: (a) => {
      const p = post(a).finally(() => pending.delete(p));
      pending.add(p);
    },
    flush: async () => {
      await Promise.all([...pending]);
    },
  };
}
