import { importEntries, type FileReport, type ImportOptions } from '#core/app/import-files.ts';
import type { RecordSink } from '#core/ports/store.ts';
import { ImportError, pathImportSource } from './path-source.ts';

export { ImportError, pathImportSource, type ImportLimits } from './path-source.ts';
export type { FileReport, ImportOptions } from '#core/app/import-files.ts';

/**
 * Imports one path into the sink, throwing ImportError when it holds nothing importable (the caller's
 * transaction then keeps nothing). The CLI goes through `importFiles` (#core/app), which reports instead.
 */
export async function importPath(path: string, sink: RecordSink, opts: ImportOptions): Promise<FileReport[]> {
  const source = pathImportSource(path, opts.knowledge.reconcile.importLimits);
  try {
    const r = await importEntries(source, sink, opts);
    if (r.problem) throw new ImportError(r.problem);
    return r.reports;
  } finally {
    source.close?.();
  }
}
