export type { Archive, ArchiveEntryInfo } from './archive.ts';
export type { Awaitable } from './awaitable.ts';
export type { Clock } from './clock.ts';
export type { DnsResolver } from './dns.ts';
export type { ImportEntry, ImportSource, SourceFailure } from './import-source.ts';
export type { InputProblem, MailInput, MailSource } from './mail-source.ts';
export type { Alert, Notifier } from './notifier.ts';
export type { ImageBudget, ImageReader, ImageReading, OcrLine, OcrWord } from './image-reader.ts';
export type { PdfReader } from './pdf-reader.ts';
export type { PasswordMatch, PasswordScore, PasswordScorer } from './password-scorer.ts';
export type { ImportCount, RecordSink, Store, StoreCounts, StoredLedger } from './store.ts';
export type {
  AlertKind,
  MailRef,
  NoticeChargeEvent,
  OrderEvent,
  WatchAlert,
  WatchCursor,
  WatchedMail,
  WatchEvent,
  WatchEventKind,
  WatchRecord,
  WatchSource,
} from './watch.ts';
