import {
  closeSync,
  createReadStream,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, extname, join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cfbProblem } from '#core/mail/cfb.ts';
import { msgDataToRfc822, type MsgData } from '#core/mail/msg.ts';
import { LINK_FILE_EXTENSIONS, linkOfShortcut } from './link-file.ts';

/**
 * One message to check, the reason an input could not be read, or a folder entry that was skipped on purpose
 * (a FIFO, socket or device would block or never end; a symlink may lead out of the folder given).
 */
export type InputItem =
  | { source: string; bytes: Uint8Array }
  | { source: string; error: InputErrorCode; detail?: string }
  | { source: string; skipped: InputSkipCode };

export type InputErrorCode =
  'not-found' | 'permission' | 'unreadable' | 'msg-unreadable' | 'not-a-file' | 'mbox-empty';
export type InputSkipCode = 'special-file' | 'outside-folder';

/** What reading needs from `data/scoring.yaml` `limits`. */
export interface InputLimits {
  maxMessageBytes: number;
  msg: { maxBytes: number; maxStreams: number; maxSectors: number; timeoutMs: number; heapMb: number };
}

const MAIL_EXTENSIONS = new Set(['.eml', '.msg', '.mbox', '.mbx', '.txt', '', ...LINK_FILE_EXTENSIONS]);
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** What the .msg reader gives back (plain data: it crosses from the worker). */
export type { MsgData } from '#core/mail/msg.ts';
export { msgDataToRfc822 };

function errorCode(err: unknown): InputErrorCode {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'not-found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code === 'EISDIR') return 'not-a-file';
  return 'unreadable';
}

/** Reads at most `limit` bytes of a file: a huge file never lands in memory whole. */
function readHead(path: string, limit: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const buf = new Uint8Array(Math.min(size, limit));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function startsWithFromLine(bytes: Uint8Array): boolean {
  return (
    bytes.length > 5 &&
    bytes[0] === 0x46 &&
    bytes[1] === 0x72 &&
    bytes[2] === 0x6f &&
    bytes[3] === 0x6d &&
    bytes[4] === 0x20
  );
}

function isOle(bytes: Uint8Array): boolean {
  return OLE_MAGIC.every((b, i) => bytes[i] === b);
}

// The reader runs in a worker with its own heap limit and a deadline: a broken file that sends it into a loop or
// out of memory ends that worker, not mamori. Plain JavaScript (eval), so it runs the same from the bundle, tsx
// and the tests; the package is resolved from this module's location.
const MSG_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const mod = require('node:module').createRequire(workerData.from)('@kenjiuno/msgreader');
const MsgReader = mod.default || mod;
const b = workerData.bytes;
const d = new MsgReader(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)).getFileData();
const str = (v) => (typeof v === 'string' ? v : undefined);
parentPort.postMessage({
  headers: str(d.headers), subject: str(d.subject), senderName: str(d.senderName),
  senderEmail: str(d.senderEmail), body: str(d.body), bodyHtml: str(d.bodyHtml),
  html: d.html instanceof Uint8Array ? d.html : undefined, error: str(d.error),
  attachments: (Array.isArray(d.attachments) ? d.attachments : []).map((a) => ({
    fileName: str(a && a.fileName), attachMimeTag: str(a && a.attachMimeTag),
  })),
});
`;

/** Reads a .msg in a bounded worker; rejects with a short reason (shown as the detail) when it cannot. */
export function readMsg(bytes: Uint8Array, limits: InputLimits['msg']): Promise<MsgData> {
  const problem = cfbProblem(bytes, limits);
  if (problem) return Promise.reject(new Error(problem));
  return new Promise((resolve, reject) => {
    const worker = new Worker(MSG_WORKER, {
      eval: true,
      workerData: { bytes, from: import.meta.url },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`no result after ${limits.timeoutMs} ms`))),
      limits.timeoutMs,
    );
    worker.once('message', (m: MsgData) => done(() => resolve(m)));
    worker.once('error', (err: Error & { code?: string }) =>
      done(() =>
        reject(
          new Error(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `more than ${limits.heapMb} MB of memory`
              : err.message.slice(0, 200),
          ),
        ),
      ),
    );
    worker.once('exit', (code) => done(() => reject(new Error(`reader stopped (${code})`))));
  });
}

/** An Outlook .msg, read in a bounded worker, turned into an RFC 822 message. */
export async function msgToRfc822(bytes: Uint8Array, limits: InputLimits['msg']): Promise<Uint8Array> {
  return msgDataToRfc822(await readMsg(bytes, limits));
}

/**
 * Splits an mbox stream into messages without holding the mailbox in memory: only the current message is
 * buffered. Lines `>From ` are unescaped (mboxrd), and each message is capped at `maxMessageBytes` + 1 so a
 * runaway message cannot exhaust memory (the parser then reports it as truncated).
 */
export async function* splitMbox(
  stream: AsyncIterable<Uint8Array>,
  maxMessageBytes: number,
): AsyncGenerator<Uint8Array> {
  let current: Uint8Array[] = [];
  let currentSize = 0;
  let carry = new Uint8Array(0);
  let started = false;
  const flush = function* () {
    if (started && currentSize > 0) {
      const out = new Uint8Array(currentSize);
      let off = 0;
      for (const c of current) {
        out.set(c, off);
        off += c.length;
      }
      yield out;
    }
    current = [];
    currentSize = 0;
  };
  const pushLine = (line: Uint8Array) => {
    if (currentSize > maxMessageBytes) return;
    // mboxrd: ">From " (any number of >) loses one >.
    let l = line;
    let k = 0;
    while (k < l.length && l[k] === 0x3e) k++;
    if (
      k > 0 &&
      l[k] === 0x46 &&
      l[k + 1] === 0x72 &&
      l[k + 2] === 0x6f &&
      l[k + 3] === 0x6d &&
      l[k + 4] === 0x20
    )
      l = l.subarray(1);
    current.push(l);
    currentSize += l.length;
  };
  for await (const chunk of stream) {
    const data = new Uint8Array(carry.length + chunk.length);
    data.set(carry);
    data.set(chunk, carry.length);
    let start = 0;
    for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) {
      const line = data.subarray(start, i + 1);
      start = i + 1;
      if (startsWithFromLine(line)) {
        yield* flush();
        started = true;
        continue;
      }
      if (!started) started = true;
      pushLine(line);
    }
    carry = data.slice(start);
  }
  if (carry.length) pushLine(carry);
  yield* flush();
}

async function* msgItem(source: string, bytes: Uint8Array, limits: InputLimits): AsyncGenerator<InputItem> {
  try {
    yield { source, bytes: await msgToRfc822(bytes, limits.msg) };
  } catch (err) {
    yield { source, error: 'msg-unreadable', detail: (err as Error).message };
  }
}

async function* readStdin(limits: InputLimits): AsyncGenerator<InputItem> {
  const { maxMessageBytes } = limits;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let first: Uint8Array | null = null;
  const iterator = process.stdin[Symbol.asyncIterator]();
  // Peek at the first chunk: an mbox is streamed, anything else is one message.
  const head = await iterator.next();
  if (head.done) {
    yield { source: '-', bytes: new Uint8Array(0) };
    return;
  }
  first = head.value as Uint8Array;
  if (startsWithFromLine(first)) {
    const rest = (async function* () {
      yield first!;
      for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value as Uint8Array;
    })();
    let i = 0;
    for await (const m of splitMbox(rest, maxMessageBytes)) yield { source: `-#${++i}`, bytes: m };
    if (i === 0) yield { source: '-', error: 'mbox-empty' };
    return;
  }
  chunks.push(first);
  size += first.length;
  for (let n = await iterator.next(); !n.done; n = await iterator.next()) {
    if (size <= maxMessageBytes) {
      chunks.push(n.value as Uint8Array);
      size += (n.value as Uint8Array).length;
    }
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  if (isOle(all)) yield* msgItem('-', all, limits);
  else yield { source: '-', bytes: all };
}

/** True when `path` (resolved) is `root` or inside it. */
function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function* readPath(
  path: string,
  limits: InputLimits,
  depth: number,
  root: string | null,
): AsyncGenerator<InputItem> {
  const { maxMessageBytes } = limits;
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    yield { source: path, error: errorCode(err) };
    return;
  }
  if (st.isDirectory()) {
    if (depth > 8) return;
    let top = root;
    if (top === null) {
      try {
        top = realpathSync(path);
      } catch (err) {
        yield { source: path, error: errorCode(err) };
        return;
      }
    }
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (err) {
      yield { source: path, error: errorCode(err) };
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.')) continue;
      const full = join(path, name);
      let sub;
      try {
        sub = lstatSync(full);
        // A symlink is followed only when it stays inside the folder given.
        if (sub.isSymbolicLink()) {
          if (!inside(top, realpathSync(full))) {
            yield { source: full, skipped: 'outside-folder' };
            continue;
          }
          sub = statSync(full);
        }
      } catch (err) {
        yield { source: full, error: errorCode(err) };
        continue;
      }
      if (!sub.isDirectory() && !sub.isFile()) {
        // Opening a FIFO blocks until someone writes to it; a device may never end.
        yield { source: full, skipped: 'special-file' };
        continue;
      }
      if (sub.isDirectory() || MAIL_EXTENSIONS.has(extname(name).toLowerCase())) {
        if (/^(readme|index|license|sources)/i.test(basename(name))) continue;
        yield* readPath(full, limits, depth + 1, top);
      }
    }
    return;
  }
  if (!st.isFile()) {
    yield { source: path, error: 'not-a-file' };
    return;
  }
  let head: Uint8Array;
  try {
    head = readHead(path, maxMessageBytes + 1);
  } catch (err) {
    yield { source: path, error: errorCode(err) };
    return;
  }
  if (
    startsWithFromLine(head) &&
    /^From \S+.*\d{4}\r?$/m.test(new TextDecoder('latin1').decode(head.subarray(0, 200)).split('\n')[0] ?? '')
  ) {
    let i = 0;
    try {
      for await (const m of splitMbox(createReadStream(path, { highWaterMark: 1 << 20 }), maxMessageBytes))
        yield { source: `${path}#${++i}`, bytes: m };
    } catch (err) {
      yield { source: path, error: errorCode(err) };
      return;
    }
    // Only "From " lines: say so rather than print nothing.
    if (i === 0) yield { source: path, error: 'mbox-empty' };
    return;
  }
  if (isOle(head)) {
    let bytes: Uint8Array;
    try {
      bytes = readHead(path, limits.msg.maxBytes);
    } catch (err) {
      yield { source: path, error: errorCode(err) };
      return;
    }
    yield* msgItem(path, bytes, limits);
    return;
  }
  const ext = extname(path).toLowerCase();
  if (LINK_FILE_EXTENSIONS.has(ext)) {
    const link = linkOfShortcut(ext, head);
    if (link) yield { source: path, bytes: new TextEncoder().encode(link + '\n') };
    else yield { source: path, error: 'unreadable' };
    return;
  }
  yield { source: path, bytes: head };
}

/**
 * Every message behind the given paths (files, directories, mbox files, .msg, or `-` for stdin), in order.
 * `limits` is `data/scoring.yaml` `limits` (a number alone: the message size, other limits at their defaults).
 */
export async function* readInputs(
  paths: readonly string[],
  limits: InputLimits | number,
): AsyncGenerator<InputItem> {
  const l: InputLimits =
    typeof limits === 'number' ? { maxMessageBytes: limits, msg: DEFAULT_MSG_LIMITS } : limits;
  for (const p of paths) {
    if (p === '-') yield* readStdin(l);
    else yield* readPath(p, l, 0, null);
  }
}

/** Used only when a caller passes the message size alone; the data's values are in `data/scoring.yaml`. */
const DEFAULT_MSG_LIMITS: InputLimits['msg'] = {
  maxBytes: 64 * 1024 * 1024,
  maxStreams: 10000,
  maxSectors: 200000,
  timeoutMs: 10000,
  heapMb: 512,
};
