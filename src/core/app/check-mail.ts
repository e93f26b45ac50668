import { checkMessage, type CheckOptions, type CheckResult } from '#core/check/index.ts';
import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import { headerBlock } from '#core/mail/header-block.ts';
import type { InputProblem, MailInput, MailSource } from '#core/ports/mail-source.ts';

/** One input's result: its verdict, or why it could not be read or checked (`problem.code` → `error.<code>`). */
export type MailOutcome =
  | { label: string; ok: true; result: CheckResult; headers?: string | null }
  | { label: string; ok: false; problem: InputProblem & Record<string, unknown> };

export interface CheckMailDeps {
  knowledge: CheckKnowledge;
  options?: CheckOptions;
  /** Rewrites a message before it is judged (online verification adds fresh authentication results). */
  prepare?: (bytes: Uint8Array) => Promise<Uint8Array>;
  /** Keep each message's header block in its outcome (evidence for a case; the check itself never needs it). */
  keepHeaders?: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

// Messages in flight at once. A check waits on the PDF reader (a worker) or the network (--verify-online); with
// several in flight the next messages are checked meanwhile (a PDF takes as long as dozens of mails). Outcomes still
// come out in input order, and memory stays bounded: at most IN_FLIGHT messages, and beyond the first MIN_IN_FLIGHT
// only while the messages held come to less than IN_FLIGHT_BYTES.
const IN_FLIGHT = 32;
const MIN_IN_FLIGHT = 4;
const IN_FLIGHT_BYTES = 8 * 1024 * 1024;

/**
 * Checks every message of a source, in order. One input's failure — unreadable, not a mail, or a check that
 * threw on it — is that input's outcome, never the end of the run.
 */
export async function* checkMail(source: MailSource, deps: CheckMailDeps): AsyncGenerator<MailOutcome> {
  const inputs = source[Symbol.asyncIterator]();
  const pending: Promise<MailOutcome>[] = [];
  const sizes: number[] = [];
  let held = 0;
  let next: Promise<IteratorResult<MailInput>> | null = inputs.next();
  while (next || pending.length) {
    // The oldest outcome is given as soon as it is ready: a source that waits (a mailbox being watched) never
    // holds back a result that is done.
    const head = pending[0];
    const room = pending.length < MIN_IN_FLIGHT || (pending.length < IN_FLIGHT && held < IN_FLIGHT_BYTES);
    if (next && room) {
      const first = head ? await Promise.race([head.then(() => 'head' as const), next]) : await next;
      if (first !== 'head') {
        next = null;
        if (!first.done) {
          const size = 'bytes' in first.value ? first.value.bytes.length : 0;
          sizes.push(size);
          held += size;
          pending.push(checkOne(first.value, deps));
          next = inputs.next();
        }
        continue;
      }
    }
    held -= sizes.shift() ?? 0;
    yield await pending.shift()!;
  }
}

/** Never rejects: every failure is the input's outcome. */
async function checkOne(input: MailInput, deps: CheckMailDeps): Promise<MailOutcome> {
  if ('problem' in input) return { label: input.label, ok: false, problem: { ...input.problem } };
  try {
    const bytes = deps.prepare ? await deps.prepare(input.bytes) : input.bytes;
    const out = await checkMessage(bytes, deps.knowledge, deps.options);
    return out.ok
      ? {
          label: input.label,
          ok: true,
          result: out.result,
          ...(deps.keepHeaders ? { headers: headerBlock(input.bytes) } : {}),
        }
      : { label: input.label, ok: false, problem: { ...out.problem } };
  } catch (e) {
    return { label: input.label, ok: false, problem: { code: 'unreadable', detail: message(e) } };
  }
}

/** A MailSource over messages already in memory (pasted text in the browser, tests). */
export async function* memoryMailSource(items: Iterable<MailInput>): AsyncGenerator<MailInput> {
  for (const i of items) yield i;
}

/** Pasted text as one message (a phone's copy of a mail has no headers; the check says so). */
export function pastedMailSource(text: string, label = '-'): MailSource {
  return memoryMailSource([{ label, bytes: new TextEncoder().encode(text) }]);
}
