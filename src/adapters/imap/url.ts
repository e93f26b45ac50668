/** Where to watch, from `--imap URL`: `imaps://USER@HOST[:PORT]` (TLS) or `imap://USER@HOST[:PORT]` (STARTTLS). */
export interface ImapTarget {
  host: string;
  port: number;
  user: string;
  /** Implicit TLS from the first byte (imaps). */
  secure: boolean;
  /** imap:// must upgrade with STARTTLS, except to this machine (a local bridge such as Proton's). */
  requireStartTls: boolean;
}

export class ImapUrlError extends Error {
  constructor(
    readonly code: 'scheme' | 'user' | 'host' | 'port' | 'password-in-url',
    readonly value: string,
  ) {
    super(`bad IMAP URL (${code})`);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function parseImapUrl(raw: string): ImapTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ImapUrlError('scheme', raw);
  }
  // A password in the URL would end up in shell history and process lists: refused, and never echoed back.
  if (u.password) throw new ImapUrlError('password-in-url', `${u.protocol}//${u.username}@${u.host}`);
  if (u.protocol !== 'imaps:' && u.protocol !== 'imap:') throw new ImapUrlError('scheme', raw);
  const user = decodeURIComponent(u.username);
  if (!user) throw new ImapUrlError('user', raw);
  if (!u.hostname) throw new ImapUrlError('host', raw);
  const secure = u.protocol === 'imaps:';
  const port = u.port ? Number(u.port) : secure ? 993 : 143;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ImapUrlError('port', raw);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return { host, port, user, secure, requireStartTls: !secure && !LOOPBACK.has(u.hostname) };
}

/** The target as the store and messages name it: never a password. */
export const imapKey = (t: ImapTarget, mailbox: string) =>
  `${t.secure ? 'imaps' : 'imap'}://${t.user}@${t.host}:${t.port}/${mailbox}`;
