import type { MailSource } from '#core/ports/mail-source.ts';
import type { Notifier } from '#core/ports/notifier.ts';
import { readInputs, type InputLimits } from './mail-input.ts';

/**
 * The MailSource of the command line: files, folders, mbox files (split as a stream), Outlook .msg, and `-`
 * (standard input: pasted text or an mbox). Reading stays in `mail-input.ts`; this only speaks the port.
 */
export async function* pathMailSource(
  paths: readonly string[],
  limits: InputLimits | number,
  /** Told about folder entries skipped on purpose (FIFOs, devices, links out of the folder): not failures. */
  notifier?: Notifier,
): MailSource {
  for await (const item of readInputs(paths, limits)) {
    if ('skipped' in item)
      notifier?.notify({ key: `input.skipped.${item.skipped}`, params: { source: item.source } });
    else if ('error' in item)
      yield {
        label: item.source,
        problem: { code: item.error, ...(item.detail ? { detail: item.detail } : {}) },
      };
    else yield { label: item.source, bytes: item.bytes };
  }
}
