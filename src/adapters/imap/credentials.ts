import { readFileSync } from 'node:fs';

export type PasswordFrom = 'file' | 'env' | 'keyring' | 'prompt';

export interface CredentialDeps {
  passwordFile?: string;
  env: Record<string, string | undefined>;
  /** A line typed without echo, or null when there is no terminal. */
  prompt: () => Promise<string | null>;
  /** Told once when the OS keyring cannot be used (no Secret Service on a headless Linux). */
  onNoKeyring: () => void;
}

export class PasswordFileError extends Error {
  constructor(readonly file: string) {
    super(`cannot read the password file ${file}`);
  }
}

export class NoPasswordError extends Error {}

interface KeyEntry {
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

/**
 * The IMAP password: `--password-file`, else MAMORI_IMAP_PASSWORD, else the OS keyring, else asked without echo
 * (and then kept in the keyring if there is one). Never written anywhere else, never put in a message.
 */
export async function imapPassword(
  account: string,
  deps: CredentialDeps,
): Promise<{ password: string; from: PasswordFrom; save?: () => boolean }> {
  if (deps.passwordFile) {
    let text: string;
    try {
      text = readFileSync(deps.passwordFile, 'utf8');
    } catch {
      throw new PasswordFileError(deps.passwordFile);
    }
    const password = text.split(/\r?\n/)[0] ?? '';
    if (!password) throw new PasswordFileError(deps.passwordFile);
    return { password, from: 'file' };
  }
  const env = deps.env.MAMORI_IMAP_PASSWORD;
  if (env) return { password: env, from: 'env' };
  const entry = deps.env.MAMORI_NO_KEYRING === '1' ? null : await keyringEntry(account);
  const stored = entry?.getPassword();
  if (stored) return { password: stored, from: 'keyring' };
  if (!entry) deps.onNoKeyring();
  const typed = await deps.prompt();
  if (!typed) throw new NoPasswordError('no password');
  return {
    password: typed,
    from: 'prompt',
    ...(entry
      ? {
          save: () => {
            try {
              entry.setPassword(typed);
              return true;
            } catch {
              return false;
            }
          },
        }
      : {}),
  };
}
