export { MaildirWatchSource, MboxWatchSource } from './mailbox-source.ts';
export type { PollOptions } from './mailbox-source.ts';
