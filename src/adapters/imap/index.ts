export { ImapAuthError, ImapConnectError, ImapWatchSource } from './imap-source.ts';
export type { ImapSourceOptions } from './imap-source.ts';
export { ImapUrlError, imapKey, parseImapUrl } from './url.ts';
export type { ImapTarget } from './url.ts';
export { NoPasswordError, PasswordFileError, imapPassword } from './credentials.ts';
export type { CredentialDeps, PasswordFrom } from './credentials.ts';
