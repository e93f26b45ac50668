export { buildReport, reportFormats } from './build-report.ts';
export type { BuiltReport, ReportFormat } from './build-report.ts';
export {
  addDisputedCharges,
  addMails,
  caseMailFrom,
  isCaseError,
  openCase,
  recordEvent,
  recordStep,
} from './cases.ts';
export type { CaseError, NewCase } from './cases.ts';
export { checkMail, memoryMailSource, pastedMailSource } from './check-mail.ts';
export type { CheckMailDeps, MailOutcome } from './check-mail.ts';
export { chargesToDispute, disputeCharges } from './dispute-charges.ts';
export { importEntries, importFiles, isSourceFailure } from './import-files.ts';
export type { FileOutcome, FileReport, ImportDeps, ImportInput, ImportOptions } from './import-files.ts';
export { commitPasted, previewPasted } from './import-pasted.ts';
export type { PastePreview, PreviewOptions } from './import-pasted.ts';
export { planFor, planForSituations } from './plan-for.ts';
export type { PlanWithScripts } from './plan-for.ts';
export { reconcileStored } from './reconcile-stored.ts';
export { checkupItems, passwordItem, runCheckup } from './run-checkup.ts';
export type { CheckupAnswers, CheckupItem } from './run-checkup.ts';
export { WatchContext, fingerprintOf, judgeMail, watchMailbox } from './watch.ts';
export type { WatchDeps, WatchKnowledge, WatchOutcome } from './watch.ts';
export {
  TRANSFER_FORMAT,
  TRANSFER_VERSION,
  TransferError,
  checkDocument,
  exportData,
  importData,
  looksLikeTransfer,
} from './transfer.ts';
export type { TransferCase, TransferDocument, TransferResult } from './transfer.ts';
