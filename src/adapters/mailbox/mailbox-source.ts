import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  watch,
  type FSWatcher,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { WatchCursor, WatchedMail, WatchSource } from '#core/ports/watch.ts';

/**
 * Wakes the reader when something changes under `paths` (fs.watch: inotify, FSEvents, ReadDirectoryChangesW),
 * or after `ms` anyway: fs.watch is not available everywhere (some network and container file systems) and may
 * miss events, so a slow poll stays underneath. A change seen while the reader was busy wakes the next wait at
 * once.
 */
class ChangeWaiter {
  private readonly watchers: FSWatcher[] = [];
  private dirty = false;
  private wakeUp: (() => void) | null = null;

  constructor(paths: readonly string[]) {
    for (const p of paths)
      try {
        const w = watch(p, { persistent: false }, () => this.changed());
        w.on('error', () => w.close());
        this.watchers.push(w);
      } catch {
        // Missing or not watchable: the poll finds the changes.
      }
  }

  /** Whether fs.watch is listening on at least one path. */
  get watching(): boolean {
    return this.watchers.length > 0;
  }

  private changed(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  wait(ms: number): Promise<void> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve();
    }
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.dirty = false;
        done();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
    });
  }

  /** Ends a wait now (the source is being closed). */
  wake(): void {
    this.wakeUp?.();
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    this.wake();
  }
}

// One message is never read past this (the check caps it further).
const MAX_MESSAGE = 32 * 1024 * 1024;

export interface PollOptions {
  once?: boolean;
  /** How often to look again although fs.watch said nothing (ms); 2 s where fs.watch is not available. */
  intervalMs?: number;
  /** Told how many messages the next catch-up holds (a progress bar). */
  onBacklog?: (count: number) => void;
}

/** The poll underneath fs.watch, and the poll where fs.watch does not work. */
const pollMs = (opts: PollOptions, waiter: ChangeWaiter) =>
  opts.intervalMs ?? (waiter.watching ? 30_000 : 2000);

/** How long an mbox must stay the same size before its last message is taken (it may still be written). */
const SETTLE_MS = 300;

/**
 * A Maildir read as it changes: each look (when fs.watch reports a change in new/ or cur/, or on the slow poll)
 * lists new/ and cur/ and hands out the files not handed out before in this run, oldest name first. A mail moved
 * from new/ to cur/ keeps its unique name and is not handed out again; across runs the use case knows a mail by
 * its fingerprint, so nothing is judged twice.
 */
export class MaildirWatchSource implements WatchSource {
  readonly key: string;
  private closed = false;
  private waiter: ChangeWaiter | null = null;

  constructor(
    private readonly dir: string,
    private readonly opts: PollOptions = {},
  ) {
    this.key = `maildir:${resolve(dir)}`;
  }

  async *mails(): AsyncGenerator<WatchedMail> {
    const given = new Set<string>();
    const waiter = this.opts.once ? null : new ChangeWaiter([join(this.dir, 'new'), join(this.dir, 'cur')]);
    this.waiter = waiter;
    try {
      yield* this.looks(given, waiter);
    } finally {
      waiter?.close();
    }
  }

  private async *looks(given: Set<string>, waiter: ChangeWaiter | null): AsyncGenerator<WatchedMail> {
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
      const backlog = names.filter((n) => !given.has(n.uniq)).length;
      if (backlog) this.opts.onBacklog?.(backlog);
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
      if (!waiter || this.closed) return;
      await waiter.wait(pollMs(this.opts, waiter));
    }
  }

  close(): void {
    this.closed = true;
    this.waiter?.wake();
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
  private waiter: ChangeWaiter | null = null;

  constructor(
    private readonly file: string,
    private readonly opts: PollOptions = {},
  ) {
    this.key = `mbox:${resolve(file)}`;
  }

  async *mails(cursor: WatchCursor | null): AsyncGenerator<WatchedMail> {
    // The folder is watched, not the file: a mail program may replace the file (a new inode) when it compacts.
    const waiter = this.opts.once ? null : new ChangeWaiter([dirname(resolve(this.file))]);
    this.waiter = waiter;
    try {
      yield* this.looks(cursor, waiter);
    } finally {
      waiter?.close();
    }
  }

  private async *looks(cursor: WatchCursor | null, waiter: ChangeWaiter | null): AsyncGenerator<WatchedMail> {
    let pos = cursor;
    let lastSize = -1;
    while (!this.closed) {
      let unsettled = false;
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
        unsettled = !settled && st.size > pos.last;
        lastSize = st.size;
        for (const m of readMessages(this.file, pos.last, st.size, settled)) {
          pos = { validity, last: m.end };
          yield { uid: String(m.start), bytes: m.bytes, cursor: pos };
        }
      }
      if (!waiter || this.closed) return;
      // Grown since the last look: look again shortly to take the last message once the file stops growing.
      await waiter.wait(unsettled ? SETTLE_MS : pollMs(this.opts, waiter));
    }
  }

  close(): void {
    this.closed = true;
    this.waiter?.wake();
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
