import { cfbProblem, type CfbLimits } from '#core/mail/cfb.ts';
import { msgDataToRfc822, type MsgData } from '#core/mail/msg.ts';

/** What reading a .msg needs from `data/scoring.yaml` `limits.input.msg`. */
export interface MsgLimits extends CfbLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** A Compound File (the container of an Outlook .msg), by its first bytes. */
export const isCompoundFile = (b: Uint8Array): boolean =>
  b.length >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((x, i) => b[i] === x);

/**
 * An Outlook .msg as an RFC 822 message, read in the page as the CLI reads it: the Compound File's structure is
 * checked first (a looping chain or a stream that claims gigabytes is refused unread), then the reader runs in a
 * Web Worker of its own with a deadline. Rejects with a short reason (shown as the detail) when it cannot.
 */
export async function msgToRfc822InBrowser(bytes: Uint8Array, limits: MsgLimits): Promise<Uint8Array> {
  if (bytes.length > limits.maxBytes) throw new Error(`${bytes.length} bytes (limit ${limits.maxBytes})`);
  const problem = cfbProblem(bytes, limits);
  if (problem) throw new Error(problem);
  const data = await new Promise<MsgData>((resolve, reject) => {
    const worker = new Worker(new URL('./msg-worker.ts', import.meta.url), { type: 'module' });
    const done = (f: () => void) => {
      clearTimeout(timer);
      worker.terminate();
      f();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`no result after ${limits.timeoutMs} ms`))),
      limits.timeoutMs,
    );
    worker.onmessage = (e: MessageEvent<MsgData>) => done(() => resolve(e.data));
    worker.onerror = (e) => {
      e.preventDefault();
      done(() => reject(new Error(e.message || 'reader stopped')));
    };
    worker.postMessage(bytes);
  });
  return msgDataToRfc822(data);
}
