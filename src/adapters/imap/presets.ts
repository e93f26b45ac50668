import type { ProviderId } from '#core/mail/providers.ts';
import type { ImapTarget } from './url.ts';

/**
 * IMAP settings of common providers, from card-notices.md Section B. None was checked on the provider's own page
 * (all `uncertain`), which is why a preset is said aloud when used. `auth` names the password the provider wants.
 */
export interface ImapPreset {
  id: string;
  host: string;
  port: number;
  secure: boolean;
  auth: 'app-password' | 'imap-password' | 'bridge-password' | 'oauth';
  /**
   * Whether IMAP (or the mail service itself) must be switched on first, and where: a message key
   * `watch.preset-switch-on.<id>` when the reference says so; absent when it says nothing (not "no").
   */
  switchOn?: boolean;
  /** The check's `--provider`: whose Authentication-Results to believe at the entry hop. */
  provider?: ProviderId;
  status: 'confirmed' | 'uncertain';
  source: string;
}

export const IMAP_PRESETS: readonly ImapPreset[] = [
  {
    id: 'gmail',
    switchOn: true,
    host: 'imap.gmail.com',
    port: 993,
    secure: true,
    auth: 'app-password',
    provider: 'gmail',
    status: 'uncertain',
    source: 'Section B (S42)',
  },
  {
    id: 'icloud',
    switchOn: true,
    host: 'imap.mail.me.com',
    port: 993,
    secure: true,
    auth: 'app-password',
    provider: 'icloud',
    status: 'uncertain',
    source: 'Section B (S43)',
  },
  {
    id: 'yahoo-japan',
    switchOn: true,
    host: 'imap.mail.yahoo.co.jp',
    port: 993,
    secure: true,
    auth: 'imap-password',
    provider: 'yahoo-japan',
    status: 'uncertain',
    source: 'Section B (from memory, no source)',
  },
  {
    id: 'yahoo',
    host: 'imap.mail.yahoo.com',
    port: 993,
    secure: true,
    auth: 'app-password',
    status: 'uncertain',
    source: 'Section B (S42)',
  },
  {
    id: 'outlook',
    host: 'outlook.office365.com',
    port: 993,
    secure: true,
    auth: 'oauth',
    provider: 'outlook',
    status: 'uncertain',
    source: 'Section B (host from memory; OAuth S44)',
  },
  {
    id: 'docomo',
    switchOn: true,
    host: 'imap.spmode.ne.jp',
    port: 993,
    secure: true,
    auth: 'imap-password',
    provider: 'docomo',
    status: 'uncertain',
    source: 'Section B (S45: password rule confirmed, host uncertain)',
  },
  {
    id: 'fastmail',
    host: 'imap.fastmail.com',
    port: 993,
    secure: true,
    auth: 'app-password',
    status: 'uncertain',
    source: 'Section B',
  },
  {
    id: 'proton-bridge',
    switchOn: true,
    host: '127.0.0.1',
    port: 1143,
    secure: false,
    auth: 'bridge-password',
    status: 'uncertain',
    source: 'Section B (S46)',
  },
];

export const PRESET_IDS = IMAP_PRESETS.map((p) => p.id);

export function presetTarget(p: ImapPreset, user: string): ImapTarget {
  return {
    host: p.host,
    port: p.port,
    user,
    secure: p.secure,
    requireStartTls: !p.secure && p.host !== '127.0.0.1',
  };
}
