import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import type { OrderHistory } from '#core/check/orders.ts';
import type { CardCharge, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import type { Awaitable } from './awaitable.ts';
import type { WatchAlert, WatchCursor, WatchEvent, WatchRecord } from './watch.ts';

/** Receives the records of one import. A record whose natural key is already stored is left as it is. */
export interface RecordSink {
  line(l: OrderLine): void;
  payment(p: OrderPayment): void;
  refund(r: Refund): void;
  charge(c: CardCharge): void;
}

export interface ImportCount {
  /** Records new to the store. */
  added: number;
  /** Records already stored (or repeated in the same file), left as they were. */
  unchanged: number;
}

/**
 * Everything stored. Order is part of the contract (reconciliation is deterministic only if its input is):
 * lines, payments and refunds in the order they were first imported; charges by date, then import order.
 */
export interface StoredLedger {
  lines: OrderLine[];
  payments: OrderPayment[];
  refunds: Refund[];
  charges: CardCharge[];
}

export interface StoreCounts {
  lines: number;
  orders: number;
  charges: number;
  refunds: number;
  /** Imports that added something (an import that added nothing leaves no trace). */
  imports: number;
}

/**
 * Everything one transfer file writes (`importData`, `src/core/app/transfer.ts`), decided before the first write.
 */
export interface TransferWrite {
  /** The ledger's records, kept as one import named `file` (no import recorded when none is new). */
  ledger: { file: string; kind: string; records: StoredLedger };
  /** Cases to create: an id already taken fails the whole write. */
  cases: CaseRecord[];
  /** Case events to add: a case that does not exist (after `cases`) fails the whole write. */
  events: { caseId: string; event: CaseEvent }[];
  /** Watched mails as `recordWatched` keeps them, each alert's `shown` and `dismissed` kept as given. */
  watch: WatchRecord[];
  settings: { key: string; value: string }[];
}

export interface TransferWritten {
  ledger: ImportCount;
  /** Watched mails new to the store (a fingerprint seen already adds nothing). */
  watchAdded: number;
}

/**
 * Where the ledger, the cases and the settings are kept: SQLite on disk (`src/adapters/store`) or memory
 * (`#core/store/memory-store.ts`, also the browser's). One behaviour suite (`test/store/contract.ts`) runs
 * against every implementation.
 */
export interface Store {
  /** Where the data is, for messages (a path, or `:memory:`). */
  readonly location: string;
  /**
   * One import is all-or-nothing: `fill` streams records into the sink; if it throws, nothing of it stays and
   * the error is rethrown. Natural keys make it idempotent, and a cumulative export adds only what is new.
   */
  importFile(file: string, kind: string, fill: (sink: RecordSink) => Promise<void>): Promise<ImportCount>;
  load(): Awaitable<StoredLedger>;
  counts(): Awaitable<StoreCounts>;
  /** The user's order IDs (lines and export payments) and the dates they cover, for the mail check. */
  orderHistory(): Awaitable<OrderHistory>;

  /** Throws if the id is taken. */
  createCase(c: CaseRecord): Awaitable<void>;
  /** Throws if the case does not exist. */
  saveCase(c: CaseRecord): Awaitable<void>;
  getCase(id: string): Awaitable<CaseRecord | null>;
  /** Ordered by creation time, then id; `listCases` in the same order. */
  caseIds(): Awaitable<string[]>;
  listCases(): Awaitable<CaseRecord[]>;
  /** Throws if the case does not exist. */
  addEvent(caseId: string, e: CaseEvent): Awaitable<void>;
  /** Ordered by date, then the order they were added. */
  events(caseId: string): Awaitable<CaseEvent[]>;

  /** Where the watcher read a mailbox up to (`WatchSource.key`), or null before its first run. */
  watchCursor(source: string): Awaitable<WatchCursor | null>;
  /** Moves a cursor without a mail (a message seen before, met again in a re-scan). */
  setWatchCursor(source: string, cursor: WatchCursor): Awaitable<void>;
  /** Whether a message with this fingerprint was processed already (whatever mailbox or UID it had then). */
  watchSeen(fingerprint: string): Awaitable<boolean>;
  /**
   * Keeps one processed mail: marks its fingerprint seen, stores its event and alert, moves the cursor, all or
   * nothing. False (and only the cursor moved) when the fingerprint was seen already.
   */
  recordWatched(r: WatchRecord): Awaitable<boolean>;
  /** Events in the order they were recorded. */
  watchEvents(): Awaitable<WatchEvent[]>;
  /** Alerts not dismissed (all with `all`), oldest first. */
  alerts(opts?: { all?: boolean }): Awaitable<WatchAlert[]>;
  markAlertsShown(ids: readonly string[]): Awaitable<void>;
  /** False when there is no such alert. */
  dismissAlert(id: string): Awaitable<boolean>;

  /**
   * Writes one transfer file all or nothing: if any of its writes fails, nothing of it stays and the error is
   * rethrown (one transaction in SQLite).
   */
  applyTransfer(w: TransferWrite): Promise<TransferWritten>;

  getSetting(key: string): Awaitable<string | null>;
  setSetting(key: string, value: string): Awaitable<void>;

  close(): void;
}
