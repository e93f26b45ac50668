/** Why an input could not be read; the interfaces turn the code into a sentence (`error.<code>`). */
export interface InputProblem {
  code: 'not-found' | 'permission' | 'unreadable' | 'msg-unreadable' | 'not-a-file' | (string & {});
  detail?: string;
}

/** One message to check, or why it could not be read. `label` names it for the user (path, `file#3`, `-`). */
export type MailInput = { label: string; bytes: Uint8Array } | { label: string; problem: InputProblem };

/**
 * Messages, one at a time, so a mailbox of any size is never held whole. Implementations: files, folders,
 * mbox and Outlook .msg, pasted text / stdin (`src/adapters/input/mail-source.ts`), in-memory items
 * (`#core/app/check-mail.ts`); an IMAP mailbox later.
 */
export type MailSource = AsyncIterable<MailInput>;
