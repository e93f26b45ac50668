/**
 * Reconciliation in a Web Worker: the page posts the files the person picked (Amazon order-history CSVs and card
 * statements, as bytes) and gets every charge explained. The same use cases as `mamori reconcile --orders X
 * --statement Y` (importFiles into an in-memory Store, then reconcileStored), on the same built knowledge.
 * Nothing is uploaded, and nothing outlives the request here; the page keeps what it wants through its own Store.
 */
import ledgerPart from 'mamori:knowledge/ledger';
import { importFiles, type FileOutcome } from '#core/app/import-files.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import { compileLedger } from '#core/knowledge/compile.ts';
import { bytesImportSource } from '#core/ledger/bytes-source.ts';
import type { ReconcileResult } from '#core/reconcile/reconcile.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { serve } from './scope.ts';

export interface ReconcilePayload {
  files: { name: string; bytes: Uint8Array }[];
}

export interface ReconcileReply {
  /** Null when no file held orders or charges. */
  result: ReconcileResult | null;
  /** What became of each file: stored, or the problem (its code says what to tell the person). */
  outcomes: FileOutcome[];
}

const knowledge = compileLedger(ledgerPart);

async function reconcileFiles(p: ReconcilePayload): Promise<ReconcileReply> {
  const store = new MemoryStore({ copies: false });
  const outcomes = await importFiles(
    store,
    p.files.map((f) => ({
      file: f.name,
      source: bytesImportSource(f.name, [{ path: f.name, bytes: f.bytes }]),
    })),
    { knowledge },
  );
  return { result: await reconcileStored(store, knowledge), outcomes };
}

serve<'reconcile', ReconcilePayload, ReconcileReply>('reconcile', reconcileFiles);
