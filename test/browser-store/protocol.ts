// The messages between the page (where vitest runs the contract) and the Worker that holds the real store.
import type { BrowserBackend } from '#adapters/browser-store/index.ts';

/** One record an import's fill gave, replayed into the real sink inside the worker. */
export type Staged = ['line', unknown] | ['payment', unknown] | ['refund', unknown] | ['charge', unknown];

export type Request =
  | { op: 'open'; name: string; backend?: BrowserBackend; lockWaitMs?: number }
  | { op: 'call'; handle: number; method: string; args: unknown[] }
  | { op: 'import'; handle: number; file: string; kind: string; records: Staged[]; error?: string }
  | { op: 'close'; handle: number }
  | { op: 'forget'; handle: number }
  | { op: 'forgetByName'; name: string }
  | { op: 'bytes'; handle: number }
  | { op: 'corrupt'; name: string }
  | { op: 'opfsDirs' }
  | { op: 'hideOpfs' };

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string; messageKey?: string } };

export interface Opened {
  handle: number;
  backend: BrowserBackend;
  persistent: boolean;
  location: string;
}
