import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import {
  TransferError,
  exportData,
  importData,
  looksLikeTransfer,
  type TransferResult,
} from '#core/app/transfer.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import type { Translator } from '#interfaces/i18n.ts';
import type { Io } from './check-command.ts';
import { WriteError } from './messages.ts';

/** A transfer file is read whole (it is JSON); anything bigger than this is not one of ours. */
const MAX_TRANSFER_BYTES = 512 * 1024 * 1024;

/** Whether a path given to `mamori import` is a mamori transfer file rather than a ledger file. */
export function isTransferFile(path: string): boolean {
  if (!/\.json$/i.test(path)) return false;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = new Uint8Array(512);
    const n = readSync(fd, head, 0, head.length, 0);
    return looksLikeTransfer(new TextDecoder().decode(head.subarray(0, n)));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function transferErrorText(t: Translator, file: string, e: TransferError): string {
  return t.t(`transfer.${e.code}`, { file, where: e.where, ...e.params });
}

/** `mamori export FILE [--case ID]`: a case or everything as one file (written whole, or not at all). */
export async function runExport(
  file: string,
  caseId: string | undefined,
  store: Store,
  clock: Clock,
  t: Translator,
  io: Io,
): Promise<number> {
  let doc;
  try {
    doc = await exportData(store, { ...(caseId !== undefined ? { caseId } : {}), now: clock.now() });
  } catch (e) {
    if (e instanceof TransferError) {
      io.err(transferErrorText(t, file, e));
      return 1;
    }
    throw e;
  }
  if (file !== '-' && existsSync(file)) {
    io.err(t.t('transfer.exists', { file }));
    return 1;
  }
  const json = JSON.stringify(doc, null, 1) + '\n';
  if (file === '-') process.stdout.write(json);
  else {
    // Written beside the target, then renamed: a full disk never leaves half a file under the name given.
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, json, { mode: 0o600, flag: 'wx' });
      renameSync(tmp, file);
    } catch (err) {
      throw new WriteError(file, err);
    }
  }
  (file === '-' ? io.err : io.out)(
    t.t(caseId ? 'transfer.exported-case' : 'transfer.exported', {
      file,
      id: caseId ?? '',
      cases: doc.cases.length,
      orders: new Set(doc.ledger.lines.map((l) => l.orderId)).size,
      charges: doc.ledger.charges.length,
    }),
  );
  return 0;
}

export function transferResultText(t: Translator, file: string, r: TransferResult): string[] {
  const out = [
    t.t('transfer.imported', {
      file,
      added: r.ledger.added,
      unchanged: r.ledger.unchanged,
      cases: r.cases.added,
      events: r.cases.events,
      alerts: r.watch.added,
    }),
  ];
  for (const id of r.conflicts) out.push(t.t('transfer.conflict', { id }));
  if (r.settings.added) out.push(t.t('transfer.settings-imported', { count: r.settings.added }));
  for (const key of r.settings.kept) out.push(t.t('transfer.setting-kept', { key }));
  return out;
}

/** `mamori import FILE.json` of a transfer file: checked whole first, then written. */
export async function runTransferImport(file: string, store: Store, t: Translator, io: Io): Promise<number> {
  let doc: unknown;
  const bytes = readFileSync(file);
  // Too big to be ours, or not JSON at all (a file cut short in copying): said as such, nothing stored.
  const refused = (key: string, params: Record<string, string | number> = {}) => {
    io.err(t.t(key, { file, ...params }));
    io.err(t.t('import.nothing-stored', { file }));
    return 1;
  };
  if (bytes.byteLength > MAX_TRANSFER_BYTES)
    return refused('transfer.too-large', { mb: MAX_TRANSFER_BYTES / 1024 / 1024 });
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof SyntaxError) return refused('transfer.not-json');
    throw e;
  }
  try {
    const r = await importData(store, doc);
    for (const line of transferResultText(t, file, r)) io.out(line);
    return 0;
  } catch (e) {
    if (e instanceof TransferError) {
      io.err(transferErrorText(t, file, e));
      io.err(t.t('import.nothing-stored', { file }));
      return 1;
    }
    throw e;
  }
}
