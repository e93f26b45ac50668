import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WatchCursor, WatchedMail, WatchSource } from '#core/ports/watch.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// One message is never read past this (the check caps it further).
const MAX_MESSAGE = 32 * 1024 * 1024;

export interface PollOptions {
  once?: boolean;
  /** How often to look again (ms). */
  intervalMs?: number;
}

/**
 * A Maildir read as it changes: each poll lists new/ and cur/ and hands out the files not handed out before in
 * this run, oldest name first. Across runs the use case knows a mail by its fingerprint, so nothing is judged twice.
 */
export class MaildirWatchSource implements WatchSource {
  readonly key: string;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly opts: PollOptions = {},
  ) {
    this.key = `maildir:${resolve(dir)}`;
  }

  async *mails(): AsyncGenerator<WatchedMail> {
    const given = new Set<string>();
    while (!this.closed) {
      const names: { uniq: string; path: string }[] = [];
      for (const sub of ['new', 'cur']) {
        let files: string[] = [];
        try {
          files = readdirSync(join(this.dir, sub));
        } catch {
          continue;
        }
        for (const f of files)
          if (!f.startsWith('.')) names.push({ uniq: f.split(':')[0]!, path: join(this.dir, sub, f) });
      }
      names.sort((a, b) => (a.uniq < b.uniq ? -1 : a.uniq > b.uniq ? 1 : 0));
      for (const n of names) {
        if (given.has(n.uniq)) continue;
        let bytes: Uint8Array;
        try {
          if (statSync(n.path).size > MAX_MESSAGE) continue;
          bytes = readFileSync(n.path);
        } catch {
          continue; // moved between new/ and cur/ while listing: found again next time
        }
        given.add(n.uniq);
        yield { uid: n.uniq, bytes, cursor: { validity: 'maildir', last: 0 } };
      }
      if (this.opts.once) return;
      await sleep(this.opts.intervalMs ?? 2000);
    }
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * An mbox read as it grows: the cursor is the byte offset read up to, under the file's identity (device and
 * inode). A file that was replaced or shrank is read again from the start (mails seen before are skipped by
 * fingerprint). Only complete messages are handed out: the last one waits for the next `From ` line or for the
 * file to stop growing.
 */
export class MboxWatchSource implements WatchSource {
  readonly key: string;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly opts: PollOptions = {},
  ) {
    this.key = `mbox:${resolve(file)}`;
  }

  async *mails(cursor: WatchCursor | null): AsyncGenerator<WatchedMail> {
    let pos = cursor;
    let lastSize = -1;
    while (!this.closed) {
      let st;
      try {
        st = statSync(this.file);
      } catch {
        st = null;
      }
      if (st) {
        const validity = `${st.dev}:${st.ino}`;
        if (!pos || pos.validity !== validity || pos.last > st.size) pos = { validity, last: 0 };
        // A message still being written is taken only once the file stopped growing between two looks.
        const settled = this.opts.once || st.size === lastSize;
        lastSize = st.size;
        for (const m of readMessages(this.file, pos.last, st.size, settled)) {
          pos = { validity, last: m.end };
          yield { uid: String(m.start), bytes: m.bytes, cursor: pos };
        }
      }
      if (this.opts.once) return;
      await sleep(this.opts.intervalMs ?? 2000);
    }
  }

  close(): void {
    this.closed = true;
  }
}

const FROM = Buffer.from('\nFrom ');

/** Messages between two offsets, one chunk in memory at a time; `>From ` lines are unescaped. */
function* readMessages(
  file: string,
  from: number,
  to: number,
  takeLast: boolean,
): Generator<{ start: number; end: number; bytes: Uint8Array }> {
  const fd = openSync(file, 'r');
  try {
    let start = from;
    let buf = Buffer.alloc(0);
    let read = from;
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      const n = read < to ? readSync(fd, chunk, 0, Math.min(chunk.length, to - read), read) : 0;
      read += n;
      buf = Buffer.concat([buf, chunk.subarray(0, n)]);
      // Each message starts with a `From ` line; the next such line ends it.
      for (;;) {
        const at = buf.indexOf(FROM, 1);
        if (at < 0) break;
        const msg = buf.subarray(0, at + 1);
        if (msg.length <= MAX_MESSAGE) yield { start, end: start + msg.length, bytes: body(msg) };
        start += msg.length;
        buf = buf.subarray(at + 1);
      }
      if (buf.length > MAX_MESSAGE) {
        start += buf.length;
        buf = Buffer.alloc(0);
      }
      if (n === 0) break;
    }
    if (takeLast && buf.length && buf.subarray(0, 5).toString('latin1') === 'From ')
      yield { start, end: start + buf.length, bytes: body(buf) };
  } finally {
    closeSync(fd);
  }
}

function body(msg: Buffer): Uint8Array {
  const nl = msg.indexOf(0x0a);
  const text = msg
    .subarray(nl + 1)
    .toString('latin1')
    .replace(/^>(>*From )/gm, '$1');
  return Buffer.from(text, 'latin1');
}
