/**
 * The messages between the page and the engine worker: one typed request per use case of the core, one reply
 * each (paired by id), and progress notes while a long one runs. The page adds no logic of its own: everything it
 * shows is a value the core computed here.
 */
import type { PlanWithScripts } from '#core/app/plan-for.ts';
import type { FileOutcome } from '#core/app/import-files.ts';
import type { CaseEvent, CaseRecord, EventKind, StepStatus } from '#core/case/case.ts';
import type { CheckResult } from '#core/check/index.ts';
import type { PasswordVerdict } from '#core/case/checkup.ts';
import type { Situation } from '#core/knowledge/constants.ts';
import type { ReconcileResult } from '#core/reconcile/reconcile.ts';
import type { WatchAlert, WatchEvent } from '#core/ports/watch.ts';
import type { Audience } from '#core/report/report.ts';
import type { ImportCount } from '#core/ports/store.ts';
import type { PasteInput, PasteView } from './paste.ts';

export type Lang = 'ja' | 'en';
/** Where the data is kept: the local server's SQLite (served), the browser's SQLite-WASM (static), or memory. */
export type StoreMode = 'served' | 'browser' | 'memory';

export interface MailView {
  /** One per input; a problem (empty, binary, too big…) is a value with its message key. */
  outcome:
    { ok: true; result: CheckResult } | { ok: false; problem: string; params: Record<string, unknown> };
  /** The body as plain text (never HTML); the page shows it as text only. */
  body: string;
  /**
   * The brand (a merchant profile id) a fake or doubtful mail claimed, when it is not Amazon: the plan is then
   * that brand's (`set-brand`, `plan`); null for a doubtful mail that claimed Amazon or no brand; absent for a mail
   * that is not doubtful (it changes nothing).
   */
  planBrand?: string | null;
}

export interface DateFacts {
  /** The oldest charge the person does not recognise (YYYY-MM-DD), from the calendar. */
  firstCharge?: string;
  statementDate?: string;
}

export interface CaseView {
  /** Rises with every view the engine makes: a reply that arrives late (a lower number) is older than the one shown. */
  rev: number;
  case: CaseRecord;
  events: CaseEvent[];
  plan: PlanWithScripts;
}

export interface ReconcileView {
  result: ReconcileResult | null;
  outcomes: FileOutcome[];
}

/** A stored alert of the watcher with the first step of its plan (planForSituations), in the person's language. */
export interface AlertView {
  alert: WatchAlert;
  firstStep: string | null;
  /** The display name of the brand the alert is about (its evidence sentences name it), or null. */
  brand: string | null;
}

/** request type → [payload, reply] */
export interface EngineApi {
  init: [{ lang: Lang }, { mode: StoreMode; currentCase: string | null }];
  /** A mail, pasted text or a picture (PNG, JPEG, WebP: read by QR and OCR here; progress 'ocr' while it runs). */
  check: [{ name: string; bytes: Uint8Array }, MailView];
  reconcile: [{ files: { name: string; bytes: Uint8Array }[] }, ReconcileView];
  plan: [{ situations: Situation[]; lang: Lang; dates: DateFacts; brand?: string | null }, PlanWithScripts];
  /** The current case (opened with these situations when there is none yet). */
  'ensure-case': [{ situations: Situation[]; lang: Lang; title: string; brand?: string | null }, CaseView];
  /** The brand a fake mail of the case claimed (`MailView.planBrand`; null: Amazon's plan), kept for the case. */
  'set-brand': [{ id: string; brand: string | null; lang: Lang }, CaseView];
  'get-case': [{ id: string; lang: Lang; dates?: DateFacts }, CaseView | null];
  'list-cases': [Record<string, never>, CaseRecord[]];
  'set-situations': [{ id: string; situations: Situation[]; lang: Lang; brand?: string | null }, CaseView];
  step: [{ id: string; step: string; status: StepStatus; receipt?: string; lang: Lang }, CaseView];
  event: [
    { id: string; kind: EventKind; note?: string; receipt?: string; at?: string; lang: Lang },
    CaseView,
  ];
  /** The flagged charges of the last reconciliation whose keys were ticked go into the case. */
  'add-charges': [{ id: string; keys: string[]; lang: Lang }, CaseView & { added: number }];
  'add-mail': [{ id: string; name: string; bytes: Uint8Array; lang: Lang }, CaseView];
  report: [{ id: string; audience: Audience; format: 'html' | 'csv' | 'md'; lang: Lang }, string];
  ics: [{ id: string; lang: Lang }, string];
  /** Scored here and forgotten: never stored, never sent. */
  password: [{ password: string; lang: Lang }, PasswordVerdict];
  'get-setting': [{ key: string }, string | null];
  'set-setting': [{ key: string; value: string }, null];
  /** One file with a case (or everything), for the other mode or the CLI (when transfer.ts is there). */
  export: [{ caseId?: string }, string | null];
  import: [{ text: string }, { ok: boolean; error?: string }];
  /** The watcher's alerts not dismissed (served mode; `list` as the alert stream sent it, else read from the store). */
  alerts: [{ lang: Lang; list?: WatchAlert[] }, AlertView[]];
  'alerts-shown': [{ ids: string[] }, null];
  'dismiss-alert': [{ id: string }, boolean];
  /** What the watcher recorded for each mail it read, with the alerts it raised (all, dismissed included). */
  'watch-events': [Record<string, never>, { events: WatchEvent[]; alerts: WatchAlert[] }];
  /** What Amazon shows on screen, read and kept in the worker under `previewId`: nothing is stored yet. */
  'paste-preview': [PasteInput, PasteView];
  /** The reading the person confirmed, stored (the next `reconcile` uses it). */
  'paste-commit': [{ previewId: string }, ImportCount];
  /** 「保存しない」: the reading is forgotten. */
  'paste-discard': [{ previewId: string }, boolean];
}

export type EngineType = keyof EngineApi;

export type EngineRequest = {
  [K in EngineType]: { id: number; type: K; payload: EngineApi[K][0] };
}[EngineType];

export interface Progress {
  /** 'read' (a file decoded and imported), 'match' (reconciling), 'ocr' (a picture's text is being read). */
  phase: 'read' | 'match' | 'ocr';
  done: number;
  total: number;
  file?: string;
}

export type EngineReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | { id: number; progress: Progress };
