import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { WatchCursor, WatchedMail, WatchSource } from '#core/ports/watch.ts';
import { imapKey, type ImapTarget } from './url.ts';

/** The server refused the user name or password (never carries either). */
export class ImapAuthError extends Error {
  constructor(readonly target: string) {
    super(`IMAP login refused for ${target}`);
    this.name = 'ImapAuthError';
  }
}

/** The server could not be reached, or would not do TLS when it had to. */
export class ImapConnectError extends Error {
  constructor(
    readonly target: string,
    readonly code: string,
  ) {
    super(`IMAP connection to ${target} failed (${code})`);
    this.name = 'ImapConnectError';
  }
}

export interface ImapSourceOptions {
  target: ImapTarget;
  password: string;
  mailbox: string;
  /** Process what is new and end. */
  once?: boolean;
  /** Told each time the connection is lost and a new one is tried (attempt number, delay in ms). */
  onRetry?: (attempt: number, delayMs: number) => void;
  /** First and longest wait between reconnections (ms). */
  backoff?: { min: number; max: number };
  /** Give up after this many failed connections in a row (watching: never; `once`: 3). */
  maxAttempts?: number;
  /** Extra TLS options (a test's own CA). */
  tls?: ImapFlowOptions['tls'];
  /** Messages fetched per round trip; memory holds one batch. */
  batch?: number;
  /** Longest IDLE before looking again anyway (ms); servers drop IDLE after 30 minutes. */
  idleMs?: number;
  /** Told how many messages the next catch-up holds (a progress bar). */
  onBacklog?: (count: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const isAuthFailure = (e: unknown) =>
  typeof e === 'object' &&
  e !== null &&
  (e as { authenticationFailed?: boolean }).authenticationFailed === true;

const codeOf = (e: unknown) =>
  typeof e === 'object' && e !== null
    ? String((e as { code?: string }).code ?? (e as { responseStatus?: string }).responseStatus ?? 'unknown')
    : 'unknown';

/**
 * An IMAP mailbox as a WatchSource (imapflow): catches up from the stored UID under the same UIDVALIDITY (a new
 * UIDVALIDITY re-scans from the start; the use case skips mails it has seen by fingerprint), then IDLEs on the
 * open mailbox and fetches what the server announces. A dropped connection is retried with a growing delay,
 * resuming from the last UID handed out.
 */
export class ImapWatchSource implements WatchSource {
  readonly key: string;
  private client: ImapFlow | null = null;
  private closed = false;
  private readonly moves: { uid: string; folder: string }[] = [];
  private readonly appends: Uint8Array[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly opts: ImapSourceOptions) {
    this.key = imapKey(opts.target, opts.mailbox);
  }

  private async connect(): Promise<ImapFlow> {
    const t = this.opts.target;
    // Loaded on first use: the other commands never pay for the IMAP client at start-up.
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: t.host,
      port: t.port,
      secure: t.secure,
      ...(t.requireStartTls ? { doSTARTTLS: true } : {}),
      auth: { user: t.user, pass: this.opts.password },
      logger: false,
      disableAutoIdle: true,
      ...(this.opts.tls ? { tls: this.opts.tls } : {}),
    });
    // imapflow emits socket errors as events too; they surface through the failing command.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (e) {
      client.close();
      if (isAuthFailure(e)) throw new ImapAuthError(this.key);
      throw new ImapConnectError(this.key, codeOf(e));
    }
    return client;
  }

  async *mails(cursor: WatchCursor | null): AsyncGenerator<WatchedMail> {
    let pos = cursor;
    let failures = 0;
    const backoff = this.opts.backoff ?? { min: 500, max: 60_000 };
    const maxAttempts = this.opts.maxAttempts ?? (this.opts.once ? 3 : Infinity);
    while (!this.closed) {
      let client: ImapFlow | null = null;
      try {
        client = await this.connect();
        this.client = client;
        const box = await client.mailboxOpen(this.opts.mailbox);
        failures = 0;
        const validity = String(box.uidValidity);
        if (!pos || pos.validity !== validity) pos = { validity, last: 0 };
        for (;;) {
          const found = await client.search({ uid: `${pos.last + 1}:*` }, { uid: true });
          const uids = (found || []).filter((u) => u > pos!.last).sort((a, b) => a - b);
          if (uids.length) this.opts.onBacklog?.(uids.length);
          const size = this.opts.batch ?? 50;
          for (let i = 0; i < uids.length; i += size) {
            const chunk = uids.slice(i, i + size);
            const msgs = await client.fetchAll(chunk.join(','), { uid: true, source: true }, { uid: true });
            msgs.sort((a, b) => a.uid - b.uid);
            for (const m of msgs) {
              if (!m.source) continue;
              pos = { validity, last: m.uid };
              yield { uid: String(m.uid), bytes: new Uint8Array(m.source), cursor: pos };
            }
            await this.flushMoves(client);
          }
          await this.flushMoves(client);
          if (this.opts.once || this.closed) return;
          await this.idle(client);
        }
      } catch (e) {
        if (e instanceof ImapAuthError) throw e;
        if (this.closed) return;
        failures++;
        if (failures >= maxAttempts)
          throw e instanceof ImapConnectError ? e : new ImapConnectError(this.key, codeOf(e));
        const delay = Math.min(backoff.max, backoff.min * 2 ** (failures - 1));
        this.opts.onRetry?.(failures, delay);
        await sleep(delay);
      } finally {
        if (client) {
          this.client = null;
          if (client.usable) await client.logout().catch(() => client!.close());
          else client.close();
        }
      }
    }
  }

  /** Waits in IDLE until the server announces mail, the connection drops (thrown), or `idleMs` passes. */
  private async idle(client: ImapFlow): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(), this.opts.idleMs ?? 25 * 60_000);
      const onExists = () => done();
      const onClose = () => done(new Error('connection closed'));
      const done = (err?: Error) => {
        clearTimeout(timer);
        client.off('exists', onExists);
        client.off('close', onClose);
        this.wake = null;
        if (err) reject(Object.assign(err, { code: 'closed' }));
        else resolve();
      };
      this.wake = () => done();
      client.on('exists', onExists);
      client.on('close', onClose);
      // idle() returns once the next command breaks it; a failure shows as 'close'.
      client.idle().catch(() => {});
    });
  }

  async moveTo(uid: string, folder: string): Promise<void> {
    this.moves.push({ uid, folder });
  }

  /**
   * Writes a message (mamori's own alert mail) into the watched mailbox with IMAP APPEND, on the watcher's
   * connection between fetches; an IDLE is broken for it. Nothing is sent anywhere.
   */
  append(bytes: Uint8Array): void {
    this.appends.push(bytes);
    this.wake?.();
  }

  private async flushMoves(client: ImapFlow): Promise<void> {
    while (this.appends.length) {
      const bytes = this.appends[0]!;
      await client.append(this.opts.mailbox, Buffer.from(bytes), []);
      this.appends.shift();
    }
    while (this.moves.length) {
      const { uid, folder } = this.moves.shift()!;
      try {
        await client.mailboxCreate(folder);
      } catch {
        // It exists already.
      }
      await client.messageMove(uid, folder, { uid: true });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const c = this.client;
    // Alert mails still waiting (a `--once` run that ended) are written on a connection of their own.
    if (this.appends.length && !c?.usable)
      try {
        const fresh = await this.connect();
        try {
          await fresh.mailboxOpen(this.opts.mailbox);
          await this.flushMoves(fresh);
        } finally {
          await fresh.logout().catch(() => fresh.close());
        }
      } catch {
        // Unreachable now: the alert itself is stored and shown on the next run.
      }
    if (c?.usable) {
      await this.flushMoves(c).catch(() => {});
      await c.logout().catch(() => c.close());
    }
  }
}
