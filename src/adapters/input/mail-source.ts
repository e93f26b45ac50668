import type { MailSource } from '#core/ports/mail-source.ts';
import { readInputs } from './mail-input.ts';

/**
 * The MailSource of the command line: files, folders, mbox files (split as a stream), Outlook .msg, and `-`
 * (standard input: pasted text or an mbox). Reading stays in `mail-input.ts`; this only speaks the port.
 */
export async function* pathMailSource(paths: readonly string[], maxMessageBytes: number): MailSource {
  for await (const item of readInputs(paths, maxMessageBytes)) {
    if ('error' in item)
      yield {
        label: item.source,
        problem: { code: item.error, ...(item.detail ? { detail: item.detail } : {}) },
      };
    else yield { label: item.source, bytes: item.bytes };
  }
}
