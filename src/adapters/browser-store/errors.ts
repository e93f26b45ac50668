/**
 * Why the browser store cannot open or save. `code` survives a Worker's `postMessage` (a class does not), and each
 * has a sentence in `data/messages/{ja,en}-bstore.yaml` under `store.browser.<code>`.
 * - `full`: the device or the browser's storage quota has no room; nothing of the change was kept.
 * - `corrupt`: the stored database is damaged; the person can export what is readable or forget the data.
 * - `in-use`: mamori is open in another tab or window of this browser, which holds the store.
 * - `unavailable`: the backend asked for does not exist in this browser (or storage is blocked).
 */
export const BROWSER_STORE_ERROR_CODES = ['full', 'corrupt', 'in-use', 'unavailable'] as const;
export type BrowserStoreErrorCode = (typeof BROWSER_STORE_ERROR_CODES)[number];

export class BrowserStoreError extends Error {
  override readonly name = 'BrowserStoreError';
  /** The message key of the person's sentence. */
  readonly messageKey: `store.browser.${BrowserStoreErrorCode}`;

  constructor(
    readonly code: BrowserStoreErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
    this.messageKey = `store.browser.${code}`;
  }
}

export const isBrowserStoreError = (e: unknown): e is BrowserStoreError =>
  e instanceof Error && e.name === 'BrowserStoreError' && typeof (e as { code?: unknown }).code === 'string';

// SQLite's primary result codes (the low byte of an extended code).
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_NOTADB = 26;

const resultCode = (e: unknown): number | undefined => {
  const rc = (e as { resultCode?: unknown } | null)?.resultCode;
  return typeof rc === 'number' ? rc & 0xff : undefined;
};

/** The store's reading of an SQLite or storage failure, or undefined when it is none of its concern (a bug, a refused duplicate). */
export function classify(e: unknown): BrowserStoreErrorCode | undefined {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') return 'full';
  const rc = resultCode(e);
  if (rc === SQLITE_FULL || rc === SQLITE_IOERR) return 'full';
  if (rc === SQLITE_CORRUPT || rc === SQLITE_NOTADB) return 'corrupt';
  return undefined;
}
