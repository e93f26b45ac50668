import type { Finding } from '#core/findings.ts';
import type { Situation } from '#core/knowledge/constants.ts';
import type { CardCharge, Currency, Storefront } from '#core/ledger/types.ts';

/**
 * Where a mailbox was read up to. IMAP: `validity` is the mailbox's UIDVALIDITY and `last` the highest UID
 * processed; an mbox: the file's identity and the byte offset read; a Maildir: `last` is unused (each file is
 * remembered by its fingerprint). A different `validity` means the numbers no longer mean anything: re-scan.
 */
export interface WatchCursor {
  validity: string;
  last: number;
}

/** One new message of a watched mailbox, with the cursor to store once it has been processed. */
export interface WatchedMail {
  uid: string;
  bytes: Uint8Array;
  cursor: WatchCursor;
}

/**
 * A mailbox read as it changes (IMAP IDLE in `src/adapters/imap`, Maildir and mbox in `src/adapters/mailbox`).
 * `mails(cursor)` yields what came after the cursor, oldest first, then waits for more; with `once` it ends when
 * caught up. The next message is asked for only after the previous one was recorded, so a crash loses nothing.
 */
export interface WatchSource {
  /** Names the mailbox in the store and in messages (never holds a password). */
  readonly key: string;
  mails(cursor: WatchCursor | null): AsyncIterable<WatchedMail>;
  /** Moves a message to a folder (created if missing); never deletes. */
  moveTo?(uid: string, folder: string): Promise<void>;
  close(): Promise<void> | void;
}

/** Which mail an event came from. */
export interface MailRef {
  mailbox: string;
  uid: string;
  /** SHA-256 of the message's bytes: the same mail seen again (a re-scan) is known by it. */
  fingerprint: string;
}

/** A genuine Amazon order, shipment or digital-order mail: what it says, kept apart from imported order data. */
export interface OrderEvent {
  mailKind: 'order' | 'shipment' | 'delivery' | 'digital';
  orderId: string | null;
  date: string;
  items: string[];
  total: number | null;
  currency: Currency;
  storefront: Storefront;
}

/** A charge an authenticated card-usage notice reported. */
export interface NoticeChargeEvent {
  template: string;
  layout: string;
  uncertain: boolean;
  cancellation: boolean;
  charge: CardCharge;
}

export type WatchEventKind =
  'phishing' | 'suspicious' | 'security-notice' | 'order' | 'charge' | 'genuine' | 'unrelated' | 'unreadable';

export interface WatchEvent {
  /** `<kind>-<first 16 hex digits of the fingerprint>`, stable across re-scans. */
  id: string;
  kind: WatchEventKind;
  at: string;
  source: MailRef;
  verdict: string | null;
  brand: string | null;
  subject: string;
  order?: OrderEvent;
  charges?: NoticeChargeEvent[];
  /**
   * What the check found, for a phishing or suspicious mail: its sender as written and its findings (evidence cut to
   * a few hundred characters), so the mail's evidence can be shown later without its body, which the watcher never
   * keeps. Absent for genuine and ordinary mail (they come by the thousand; their verdict is kept).
   */
  checked?: { from: string | null; findings: Finding[] };
}

export type AlertKind =
  | 'phishing'
  | 'security-notice'
  | 'risky-order'
  | 'new-order'
  | 'charge'
  | 'test-charge'
  | 'test-charge-cancelled';

/** Something the person must see, kept until dismissed. Words come from `data/messages` (`watch.alert.<kind>`). */
export interface WatchAlert {
  id: string;
  kind: AlertKind;
  at: string;
  eventId: string;
  /** Facts for the sentence: subject, sender, amount, order number, … */
  params: Record<string, string | number>;
  /** Finding ids and the exact facts that raised it. */
  evidence: string[];
  /** The `mamori plan` situations to follow; the first step is shown with the alert. */
  situations: Situation[];
  shown: boolean;
  dismissed: boolean;
}

/** One processed mail, written all or nothing with the cursor. */
export interface WatchRecord {
  source: string;
  cursor: WatchCursor;
  fingerprint: string;
  event: WatchEvent;
  alert: WatchAlert | null;
}
