import { randomBytes } from 'node:crypto';
import { ALERT_MAIL_HEADER, alertMailToken } from '#core/app/watch.ts';
import type { Alert, Notifier } from '#core/ports/notifier.ts';

/** The setting that turns alert mails on (`on`); the key they are signed with is `ALERT_MAIL_KEY_SETTING`. */
export const ALERT_MAIL_SETTING = 'watch.alert-mail';

/** A new signing key for alert mails (kept in the store's settings; it never leaves this machine). */
export const newAlertMailKey = (): string => randomBytes(32).toString('hex');

export interface AlertMailNotifier extends Notifier {
  /** Resolves once every alert mail started so far has been handed to `append`. */
  flush(): Promise<void>;
}

const b64Lines = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');

/** RFC 2047 for a header: UTF-8, base64, in chunks that keep each encoded word short. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/**
 * Alerts as a mail to oneself, without sending anything: the message is written into the watched IMAP mailbox
 * (`append`: the source's own connection, IMAP APPEND), so it shows on the person's phone like any mail. It is
 * clearly mamori's (`From: mamori`, `[mamori]` in the subject, a line saying it was written, not sent) and signed
 * (`X-Mamori-Alert`), so the watcher skips it and only it; a copy with another body is judged like any mail.
 */
export function alertMailNotifier(opts: {
  to: string;
  key: string;
  /** The whole alert in words (what happened, the evidence, the first step). */
  text: (key: string, params?: Record<string, unknown>) => string;
  /** One line: the subject. */
  subject: (key: string, params?: Record<string, unknown>) => string;
  /** The closing line saying mamori wrote this mail into the mailbox. */
  footer: string;
  append: (bytes: Uint8Array) => void;
  now?: () => Date;
}): AlertMailNotifier {
  const pending = new Set<Promise<void>>();
  const build = async (a: Alert) => {
    const id =
      String(a.params?.id ?? 'alert')
        .replace(/[^a-z0-9-]/gu, '')
        .slice(0, 80) || 'alert';
    const body = Buffer.from(
      b64Lines(Buffer.from(`${opts.text(a.key, a.params)}\n\n${opts.footer}\n`, 'utf8')) + '\r\n',
    );
    const token = await alertMailToken(opts.key, id, body);
    const to = opts.to.replace(/[\r\n<>]/gu, '');
    const subject = `[mamori] ${opts.subject(a.key, a.params).replace(/\p{Cc}/gu, ' ')}`.slice(0, 200);
    const head = [
      'From: mamori <mamori@localhost.invalid>',
      `To: <${to}>`,
      `Subject: ${encodedWords(subject)}`,
      `Date: ${(opts.now?.() ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <${id}.${randomBytes(6).toString('hex')}@mamori.invalid>`,
      `${ALERT_MAIL_HEADER}: ${id} ${token}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
    ].join('\r\n');
    opts.append(Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]));
  };
  return {
    notify: (a) => {
      const p = build(a)
        .catch(() => {})
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    flush: async () => {
      await Promise.all([...pending]);
    },
  };
}
