import { readFileSync } from 'node:fs';

export type PasswordFrom = 'file' | 'env' | 'keyring' | 'prompt';

export interface CredentialDeps {
  passwordFile?: string;
  env: Record<string, string | undefined>;
  /** A line typed without echo, or null when there is no terminal. */
  prompt: () => Promise<string | null>;
  /** Told once when the OS keyring cannot be used (no Secret Service on a headless Linux). */
  onNoKeyring: () => void;
  /** The keyring entry of an account, null when there is none to use (by default the OS keyring's). */
  keyring?: (account: string) => Promise<KeyEntry | null>;
  /**
   * A password from the file or the environment may be kept in the keyring too (`--save-password`, for use
   * without a terminal); otherwise only a typed one is offered for keeping.
   */
  keepGiven?: boolean;
}

export class PasswordFileError extends Error {
  constructor(readonly file: string) {
    super(`cannot read the password file ${file}`);
  }
}

export class NoPasswordError extends Error {}

export interface KeyEntry {
  getPassword(): string | null | undefined;
  setPassword(p: string): void;
}

/** The OS keyring entry for this account, or null (and why) when there is none to use. */
async function keyringEntry(account: string): Promise<KeyEntry | null> {
  try {
    const { Entry } = await import('@napi-rs/keyring');
    const e = new Entry('mamori', account) as unknown as KeyEntry;
    // Linux without a Secret Service fails here (AccessDenied / no service), not at construction.
    e.getPassword();
    return e;
  } catch {
    return null;
  }
}

/** Keeps the password in the entry; false when the keyring refused it. */
function saver(entry: KeyEntry, password: string): () => boolean {
  return () => {
    try {
      entry.setPassword(password);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * The IMAP password: `--password-file`, else MAMORI_IMAP_PASSWORD, else the OS keyring, else asked without echo.
 * `save` keeps it in the keyring, where there is one: offered for a typed password (the caller asks the person
 * first), and for a given one only with `keepGiven`. Never written anywhere else, never put in a message.
 */
export async function imapPassword(
  account: string,
  deps: CredentialDeps,
): Promise<{ password: string; from: PasswordFrom; save?: () => boolean }> {
  const open = async () =>
    deps.env.MAMORI_NO_KEYRING === '1' ? null : await (deps.keyring ?? keyringEntry)(account);
  let given: { password: string; from: PasswordFrom } | null = null;
  if (deps.passwordFile) {
    let text: string;
    try {
      text = readFileSync(deps.passwordFile, 'utf8');
    } catch {
      throw new PasswordFileError(deps.passwordFile);
    }
    const password = text.split(/\r?\n/)[0] ?? '';
    if (!password) throw new PasswordFileError(deps.passwordFile);
    given = { password, from: 'file' };
  } else if (deps.env.MAMORI_IMAP_PASSWORD) given = { password: deps.env.MAMORI_IMAP_PASSWORD, from: 'env' };
  if (given) {
    if (!deps.keepGiven) return given;
    const entry = await open();
    if (!entry) deps.onNoKeyring();
    return entry ? { ...given, save: saver(entry, given.password) } : given;
  }
  const entry = await open();
  const stored = entry?.getPassword();
  if (stored) return { password: stored, from: 'keyring' };
  if (!entry) deps.onNoKeyring();
  const typed = await deps.prompt();
  if (!typed) throw new NoPasswordError('no password');
  return { password: typed, from: 'prompt', ...(entry ? { save: saver(entry, typed) } : {}) };
}
