/**
 * The engine worker: the whole core, in a dedicated Web Worker, holding the Store (`openStore`: the local server's
 * SQLite over HTTP, SQLite-WASM in this browser, or memory) and answering the page's typed requests
 * (`protocol.ts`). Every value it returns is the core's (checkMail, importFiles, reconcileStored, planFor, the case
 * use cases, buildReport, buildIcs, checkPassword, previewPasted/commitPasted through `paste.ts`); the page only
 * shows them. A big import runs here, so the page never freezes, and says how far it is with progress messages.
 */
import checkPart from 'mamori:knowledge/check';
import ledgerPart from 'mamori:knowledge/ledger';
import planPart from 'mamori:knowledge/plan';
import messagesJa from 'mamori:knowledge/messages.ja';
import messagesEn from 'mamori:knowledge/messages.en';
import { buildReport } from '#core/app/build-report.ts';
import { isCaseError, openCase, recordEvent, recordStep } from '#core/app/cases.ts';
import { addMails } from '#core/app/cases.ts';
import { checkMail, memoryMailSource } from '#core/app/check-mail.ts';
import { disputeCharges } from '#core/app/dispute-charges.ts';
import { importFiles, type FileOutcome } from '#core/app/import-files.ts';
import { planFor, planForSituations } from '#core/app/plan-for.ts';
import { planBrand, type PlanBrand } from '#core/plan/plan.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import type { CaseRecord } from '#core/case/case.ts';
import { checkPassword } from '#core/case/checkup.ts';
import { buildIcs } from '#core/case/ics.ts';
import { brandName } from '#core/knowledge/brand-names.ts';
import { compileBuilt } from '#core/knowledge/compile.ts';
import { summarizeHtml } from '#core/mail/html.ts';
import { parseMail } from '#core/mail/parse.ts';
import { bytesImportSource } from '#core/ledger/bytes-source.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import type { ReconcileResult } from '#core/reconcile/reconcile.ts';
import { zxcvbnScorer } from '#adapters/password/zxcvbn-scorer.ts';
import type { MailInput } from '#core/ports/mail-source.ts';
import { browserImageReader } from '#adapters/image-browser/index.ts';
import { pdfReaders } from '#adapters/pdf/pdf-readers.ts';
import type { ImageReader } from '#core/ports/image-reader.ts';
import { OCR_CORE, OCR_DIR } from 'mamori:ocr-assets';
import { openStore } from './open-store.ts';
import { webJobRunner } from './job-runner.ts';
import { pasteSessions } from './paste.ts';
import { isCompoundFile, msgToRfc822InBrowser } from './read-msg.ts';
import { unzipCsvs } from './unzip.ts';
import type {
  CaseView,
  DateFacts,
  EngineApi,
  EngineReply,
  EngineRequest,
  Lang,
  MailView,
  Progress,
} from './protocol.ts';

const knowledge = compileBuilt({
  check: checkPart,
  ledger: ledgerPart,
  plan: planPart,
  'messages.ja': messagesJa,
  'messages.en': messagesEn,
});

/** The device's clock: today in the person's own time zone, now as an instant. */
const clock: Clock = {
  today: () =>
    new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      new Date(),
    ),
  now: () => new Date().toISOString(),
};

function text(lang: Lang) {
  const m = knowledge.messages.get(lang)!;
  return (key: string, params: Record<string, unknown> = {}) =>
    (m.text[key] ?? `[${key}]`).replace(/\{([a-zA-Z]+)\}/g, (_, k: string) =>
      params[k] === undefined || params[k] === '' ? '—' : String(params[k]),
    );
}

interface Scope {
  addEventListener(type: 'message', l: (e: { data: EngineRequest }) => void): void;
  postMessage(m: EngineReply): void;
  location: { origin: string; href: string };
}
const scope = globalThis as unknown as Scope;

let opened: Promise<{ store: Store; mode: 'served' | 'browser' | 'memory' }> | null = null;
const storeOf = async () => (await (opened ??= openStore(scope.location.origin))).store;
/** The last reconciliation, so ticked rows can go into the case without reconciling again. */
let lastReconcile: ReconcileResult | null = null;

/** Readings of pasted Amazon pages waiting for the person's confirm (memory only, never logged). */
const pastes = pasteSessions({ knowledge, now: clock.now });

const CURRENT = 'web.current-case';
const datesKey = (id: string) => `web.dates.${id}`;

async function datesOf(store: Store, id: string): Promise<DateFacts> {
  const raw = await store.getSetting(datesKey(id));
  try {
    return raw ? (JSON.parse(raw) as DateFacts) : {};
  } catch {
    return {};
  }
}

/** The brand of a fake mail as the plan names it (a profile id; Amazon's storefronts and unknown ids give none). */
function brandFor(id: string | null | undefined, lang: Lang): PlanBrand | undefined {
  const m = id ? knowledge.merchants.find((x) => x.id === id) : undefined;
  return m ? planBrand(m, lang) : undefined;
}
const brandKey = (id: string) => `web.brand.${id}`;

/** Each case view's place in the order the store was written (see `ordered` below); the page keeps the newest. */
let revision = 0;

async function view(store: Store, c: CaseRecord, lang: Lang, dates?: DateFacts): Promise<CaseView> {
  const rev = ++revision;
  if (dates) await store.setSetting(datesKey(c.id), JSON.stringify(dates));
  const facts = dates ?? (await datesOf(store, c.id));
  const brand = brandFor(await store.getSetting(brandKey(c.id)), lang);
  return {
    rev,
    case: c,
    events: await store.events(c.id),
    plan: planFor(c, knowledge, lang, {
      now: clock.now(),
      today: clock.today(),
      facts,
      ...(brand ? { brand } : {}),
    }),
  };
}

async function mustCase(store: Store, id: string): Promise<CaseRecord> {
  const c = await store.getCase(id);
  if (!c) throw new Error('web.error.no-case');
  return c;
}

async function bodyOf(bytes: Uint8Array): Promise<string> {
  const parsed = await parseMail(bytes, knowledge.scoring.limits);
  if (!parsed.ok) return '';
  const { text: plain, html } = parsed.mail;
  return (plain.trim() ? plain : summarizeHtml(html, 200).text).slice(0, 100_000);
}

/**
 * A dropped file as the check reads it: an Outlook .msg (by its name or its Compound File bytes) becomes the RFC 822
 * message it holds, read in a bounded worker of its own; anything else is as given. A .msg that cannot be read is
 * that input's problem (`msg-unreadable`, with the reason).
 */
async function mailInput(name: string, bytes: Uint8Array): Promise<MailInput> {
  if (!name.toLowerCase().endsWith('.msg') && !isCompoundFile(bytes)) return { label: name, bytes };
  try {
    return { label: name, bytes: await msgToRfc822InBrowser(bytes, knowledge.scoring.limits.msg) };
  } catch (e) {
    return {
      label: name,
      problem: { code: 'msg-unreadable', detail: e instanceof Error ? e.message : String(e) },
    };
  }
}

/** Told when a check's picture goes to OCR (the page says so); set for the check that is running. */
let onOcr: (() => void) | null = null;
/**
 * Pictures (a screenshot given, a mail's images): QR codes at once, OCR in tesseract.js's own worker, loaded with its
 * files (from this app's origin: the engine worker sits in `assets/`, the OCR folder beside it) on the first picture.
 */
const pictures = browserImageReader(
  knowledge.scoring.limits.image,
  { base: new URL(`../${OCR_DIR}`, scope.location.href).href, core: OCR_CORE },
  { onOcr: () => onOcr?.() },
);
/**
 * Attached PDFs, as the CLI reads them: pdf.js in a Web Worker of its own (started with the first PDF, ended after
 * a deadline), the text, links and the QR codes of the first pages' pictures in one pass.
 */
const pdf = pdfReaders(
  webJobRunner(() => new Worker(new URL('./pdf-worker.ts', import.meta.url), { type: 'module' })),
  knowledge.scoring.limits.pdf,
  knowledge.scoring.limits.image,
);
const readImage: ImageReader = Object.assign(
  (bytes: Uint8Array, want: Parameters<ImageReader>[1]) => pictures(bytes, want),
  { pdfQr: pdf.pdfQr },
);
const readPdf = pdf.readPdf;

async function checkOne(input: MailInput, bytes: Uint8Array): Promise<MailView> {
  const orders = await (await storeOf()).orderHistory();
  for await (const o of checkMail(memoryMailSource([input]), {
    knowledge,
    options: { orders, readImage, readPdf },
  })) {
    if (!o.ok) {
      const { code, ...params } = o.problem as { code: string } & Record<string, unknown>;
      return { outcome: { ok: false, problem: `web.problem.${code}`, params }, body: '' };
    }
    const r = o.result;
    const doubtful = r.verdict === 'phishing' || r.verdict === 'suspicious';
    // A picture has no body: what matters is what was read from it (`result.picture`, its QR links).
    return {
      outcome: { ok: true, result: r },
      body: r.picture ? '' : await bodyOf('bytes' in input ? input.bytes : bytes),
      ...(doubtful ? { planBrand: brandFor(r.brand, 'ja') ? r.brand : null } : {}),
    };
  }
  return { outcome: { ok: false, problem: 'web.problem.empty', params: {} }, body: '' };
}

type Handlers = {
  [K in keyof EngineApi]: (p: EngineApi[K][0], progress: (p: Progress) => void) => Promise<EngineApi[K][1]>;
};

const handlers: Handlers = {
  async init() {
    const { mode, store } = await (opened ??= openStore(scope.location.origin));
    return { mode, currentCase: await store.getSetting(CURRENT) };
  },

  async check({ name, bytes }, progress) {
    const input = await mailInput(name, bytes);
    onOcr = () => progress({ phase: 'ocr', done: 0, total: 1 });
    try {
      return await checkOne(input, bytes);
    } finally {
      onOcr = null;
    }
  },

  async reconcile({ files }, progress) {
    const store = await storeOf();
    const outcomes: FileOutcome[] = [];
    // The bar counts rows: every line of every CSV is about one row, counted before parsing (a cheap byte scan).
    const unpacked = files.map((f) => ({
      name: f.name,
      entries: f.name.toLowerCase().endsWith('.zip')
        ? unzipCsvs(f.bytes)
        : [{ path: f.name, bytes: f.bytes }],
    }));
    const lines = (b: Uint8Array) => b.reduce((n, x) => (x === 0x0a ? n + 1 : n), 1);
    const total = unpacked.reduce(
      (n, u) => n + ('problem' in u.entries ? 0 : u.entries.reduce((m, e) => m + lines(e.bytes), 0)),
      0,
    );
    let done = 0;
    let last = 0;
    for (const u of unpacked) {
      if ('problem' in u.entries) {
        outcomes.push({ file: u.name, ok: false, problem: { code: u.entries.problem, file: u.name } });
        continue;
      }
      const before = done;
      const out = await importFiles(store, [{ file: u.name, source: bytesImportSource(u.name, u.entries) }], {
        knowledge,
        onProgress(file, rows) {
          done = before + rows;
          if (done - last >= 500) {
            last = done;
            progress({ phase: 'read', done, total, file });
          }
        },
      });
      outcomes.push(...out);
      done = before + u.entries.reduce((m, e) => m + lines(e.bytes), 0);
      progress({ phase: 'read', done, total, file: u.name });
    }
    progress({ phase: 'match', done: 0, total: 1 });
    lastReconcile = await reconcileStored(store, knowledge);
    progress({ phase: 'match', done: 1, total: 1 });
    // The page shows charges; of the orders it needs only the risky ones (copying 5,000 to it costs a second).
    const result = lastReconcile && {
      ...lastReconcile,
      orders: lastReconcile.orders.filter((o) => o.risk === 'high' || o.risk === 'medium'),
    };
    return { result, outcomes };
  },

  async plan({ situations, lang, dates, brand }) {
    const b = brandFor(brand, lang);
    return planForSituations(
      {
        situations,
        region: 'jp',
        noticed: clock.today(),
        now: clock.now(),
        today: clock.today(),
        facts: dates,
        ...(b ? { brand: b } : {}),
      },
      knowledge,
      lang,
    );
  },

  async 'ensure-case'({ situations, lang, title, brand }) {
    const store = await storeOf();
    const current = await store.getSetting(CURRENT);
    const existing = current ? await store.getCase(current) : null;
    if (existing) return view(store, existing, lang);
    const c = await openCase(store, { title, region: 'jp', situations, contact: {} }, clock);
    await store.setSetting(CURRENT, c.id);
    if (brand) await store.setSetting(brandKey(c.id), brand);
    return view(store, c, lang);
  },

  async 'set-brand'({ id, brand, lang }) {
    const store = await storeOf();
    const c = await mustCase(store, id);
    await store.setSetting(brandKey(c.id), brand ?? '');
    return view(store, c, lang);
  },

  async 'get-case'({ id, lang, dates }) {
    const store = await storeOf();
    const c = await store.getCase(id);
    return c ? view(store, c, lang, dates) : null;
  },

  async 'list-cases'() {
    return (await storeOf()).listCases();
  },

  async 'set-situations'({ id, situations, lang, brand }) {
    const store = await storeOf();
    const c = { ...(await mustCase(store, id)), situations };
    await store.saveCase(c);
    if (brand !== undefined) await store.setSetting(brandKey(c.id), brand ?? '');
    return view(store, c, lang);
  },

  async step({ id, step, status, receipt, lang }) {
    const store = await storeOf();
    const r = await recordStep(
      store,
      id,
      { id: step, status, ...(receipt ? { receipt } : {}) },
      { knowledge, lang, clock },
    );
    if (isCaseError(r)) throw new Error(`web.error.${r.error}`);
    return view(store, r.case, lang);
  },

  async event({ id, kind, note, receipt, at, lang }) {
    const store = await storeOf();
    const r = await recordEvent(
      store,
      id,
      { kind, ...(note ? { note } : {}), ...(receipt ? { receipt } : {}), ...(at ? { at } : {}) },
      clock,
    );
    if (isCaseError(r)) throw new Error(`web.error.${r.error}`);
    return view(store, await mustCase(store, id), lang);
  },

  async 'add-charges'({ id, keys, lang }) {
    const store = await storeOf();
    const c = await mustCase(store, id);
    const r = lastReconcile ?? (await reconcileStored(store, knowledge));
    if (!r) throw new Error('web.error.no-charges');
    const wanted = new Set(keys);
    const { case: next, added } = disputeCharges(
      c,
      { ...r, charges: r.charges.filter((x) => wanted.has(x.key)) },
      (await store.load()).charges,
    );
    await store.saveCase(next);
    return { ...(await view(store, next, lang)), added };
  },

  async 'add-mail'({ id, name, bytes, lang }) {
    const store = await storeOf();
    // A screenshot goes into the case as what was read from it (OCR again, from the picture kept by the page).
    const source = memoryMailSource([await mailInput(name, bytes)]);
    for await (const o of addMails(store, id, source, { knowledge, options: { readImage, readPdf } })) {
      if ('refused' in o) throw new Error('web.error.genuine-mail');
      if ('error' in o) throw new Error(`web.error.${o.error}`);
      // Nothing was added when the input could not be read: the page must not say it was.
      if ('ok' in o && !o.ok) throw new Error(`web.problem.${o.problem.code}`);
    }
    return view(store, await mustCase(store, id), lang);
  },

  async report({ id, audience, format, lang }) {
    const store = await storeOf();
    const r = await buildReport(
      store,
      id,
      { audience, format },
      { knowledge, text: text(lang), lang, clock },
    );
    if (!r || r.format === 'pdf') throw new Error('web.error.no-case');
    return r.text;
  },

  async ics({ id, lang }) {
    const store = await storeOf();
    const c = await mustCase(store, id);
    const t = text(lang);
    const plan = planFor(c, knowledge, lang, { facts: await datesOf(store, id) }).plan;
    return buildIcs(c.id, plan, clock.now(), {
      deadlinePrefix: t('ics.deadline'),
      reviewTitle: t('ics.review.title'),
      reviewBody: t('ics.review.body'),
    });
  },

  async password({ password, lang }) {
    // Scored in this worker with zxcvbn and forgotten: the store is not touched, nothing is sent.
    return checkPassword(password, {}, zxcvbnScorer(lang));
  },

  async 'get-setting'({ key }) {
    return (await storeOf()).getSetting(key);
  },
  async 'set-setting'({ key, value }) {
    await (await storeOf()).setSetting(key, value);
    return null;
  },

  async export({ caseId }) {
    const mod = transfer();
    if (!mod) return null;
    const { exportData } = await mod();
    return JSON.stringify(await exportData(await storeOf(), caseId ? { caseId } : {}));
  },
  async import({ text: raw }) {
    const mod = transfer();
    if (!mod) return { ok: false, error: 'web.transfer.unavailable' };
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      return { ok: false, error: 'web.transfer.not-json' };
    }
    const { importData, TransferError } = await mod();
    try {
      await importData(await storeOf(), doc);
      return { ok: true };
    } catch (err) {
      // A refused file by why (`web.transfer.<code>`, translated on the page); anything else as it is.
      if (err instanceof TransferError) return { ok: false, error: `web.transfer.${err.code}` };
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  },

  // ── The watcher's records (served mode: the server's SQLite, written by `mamori watch`)
  async alerts({ lang, list }) {
    const all = list ?? (await (await storeOf()).alerts());
    return all.map((alert) => {
      const id = typeof alert.params.brand === 'string' ? alert.params.brand : null;
      const b = brandFor(id, lang);
      const first = alert.situations.length
        ? planForSituations(
            {
              situations: alert.situations,
              region: 'jp',
              noticed: clock.today(),
              now: clock.now(),
              ...(b ? { brand: b } : {}),
            },
            knowledge,
            lang,
          ).plan.steps[0]
        : undefined;
      const m = knowledge.merchants.find((x) => x.id === id);
      const brand = m ? brandName(m, lang) : null;
      return { alert, firstStep: first?.title ?? null, brand };
    });
  },
  async 'alerts-shown'({ ids }) {
    await (await storeOf()).markAlertsShown(ids);
    return null;
  },
  async 'dismiss-alert'({ id }) {
    return (await storeOf()).dismissAlert(id);
  },
  async 'watch-events'() {
    const store = await storeOf();
    return { events: await store.watchEvents(), alerts: await store.alerts({ all: true }) };
  },

  // ── What Amazon shows on screen, pasted: read first (nothing stored), stored on the person's confirm
  async 'paste-preview'(input) {
    return pastes.preview(input);
  },
  async 'paste-commit'({ previewId }) {
    const store = await storeOf();
    const count = await pastes.commit(store, previewId);
    lastReconcile = null;
    return count;
  },
  async 'paste-discard'({ previewId }) {
    return pastes.discard(previewId);
  },
};

interface TransferModule {
  exportData(store: Store, o: { caseId?: string }): Promise<unknown>;
  importData(store: Store, doc: unknown): Promise<unknown>;
  TransferError: new (...a: never[]) => Error & { code: string };
}
const transferModules = import.meta.glob<TransferModule>('../../../core/app/transfer.ts');
const transfer = () => Object.values(transferModules)[0] ?? null;

/**
 * Requests that read or write a case run one after another, in the order the page sent them: a `get-case` sent
 * while a `step` is being saved must not read the case from before the step and answer after it. Checks,
 * reconciling and plans without a case still run side by side.
 */
const ordered = new Set<string>([
  'ensure-case',
  'set-brand',
  'get-case',
  'list-cases',
  'set-situations',
  'step',
  'event',
  'add-charges',
  'add-mail',
  'report',
  'ics',
  'export',
  'import',
]);
let caseQueue: Promise<unknown> = Promise.resolve();

scope.addEventListener('message', (e) => {
  const req = e.data;
  const handle = handlers[req.type] as (p: unknown, progress: (p: Progress) => void) => Promise<unknown>;
  if (!handle) return;
  const run = () => handle(req.payload, (progress) => scope.postMessage({ id: req.id, progress }));
  let done: Promise<unknown>;
  if (ordered.has(req.type)) {
    done = caseQueue.then(run);
    caseQueue = done.catch(() => undefined);
  } else done = run();
  done.then(
    (value) => scope.postMessage({ id: req.id, ok: true, value }),
    (err: unknown) =>
      scope.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
