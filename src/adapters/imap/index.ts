export { ImapAuthError, ImapConnectError, ImapWatchSource } from './imap-source.ts';
export type { ImapSourceOptions } from './imap-source.ts';
export { ImapUrlError, imapKey, parseImapUrl } from './url.ts';
export type { ImapTarget } from './url.ts';
export { NoPasswordError, PasswordFileError, imapPassword } from './credentials.ts';
export type { CredentialDeps, KeyEntry, PasswordFrom } from './credentials.ts';
export { IMAP_PRESETS, PRESET_IDS, presetTarget } from './presets.ts';
export type { ImapPreset } from './presets.ts';
