import { join } from 'node:path';
import { Command, CommanderError, Help, Option } from 'commander';
import { ClockSettingError, systemClock } from '#adapters/clock.ts';
import { PRESET_IDS } from '#adapters/imap/presets.ts';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import { stderrNotifier } from '#adapters/notify/stderr-notifier.ts';
import { OrdersFileError, orderHistoryFromFile } from '#adapters/orders/order-ids-file.ts';
import { zxcvbnScorer } from '#adapters/password/zxcvbn-scorer.ts';
import { SqliteStore, StoreBusyError, mamoriHome } from '#adapters/store/store.ts';
import { chargesToDispute } from '#core/app/dispute-charges.ts';
import type { OrderHistory } from '#core/check/index.ts';
import { rememberProvider, storedProvider } from '#core/mail/provider-setting.ts';
import { PROVIDER_IDS, type ProviderId } from '#core/mail/providers.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { isLang, translator, type Lang, type Translator } from '#interfaces/i18n.ts';
import { UsageError, parseDate, parseEventKind, parseMapping, parseRegion, parseStatus } from './args.ts';
import { runCheck, type Io } from './check-command.ts';
import {
  caseAddCharges,
  caseAddMail,
  caseCheckup,
  caseEvent,
  caseIcs,
  caseList,
  caseNew,
  caseShow,
  caseStep,
  parseCaseNew,
  parseCheckup,
  parseReport,
  pickSituations,
  runPlan,
  runReport,
  situationList,
} from './case-commands.ts';
import { problemText, runImport, runReconcile } from './ledger-commands.ts';
import { isPasteInput } from './paste-input.ts';
import { commanderErrorText, fsErrorText, pastePrompt } from './messages.ts';
import type { WatchOptions } from './watch-command.ts';

// `mamori check … | head -1`: once the reader has gone, end quietly (as cat does) instead of an uncaught EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

const stdio: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  write: (s) => process.stdout.write(s),
};

/** The language asked for; a bad value is said in both languages, since which one the person reads is unknown. */
function langOf(value: string | undefined): Lang {
  const lang = value ?? process.env.MAMORI_LANG ?? 'ja';
  if (!isLang(lang)) throw new UsageError('usage.lang', { value: lang });
  return lang;
}

/**
 * The language to speak before the options are parsed (help texts and commander's own errors need it): `--lang`
 * when valid, else MAMORI_LANG, else ja. A bad `--lang` is refused later, in both languages.
 */
function preLang(argv: string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v !== undefined && isLang(v)) return v;
  }
  const env = process.env.MAMORI_LANG ?? '';
  return isLang(env) ? env : 'ja';
}

// East Asian wide characters take two columns of a terminal.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
// ANSI colour codes take no columns.
const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');
const width = (s: string) => [...s.replace(ANSI, '')].reduce((n, c) => n + (WIDE.test(c) ? 2 : 1), 0);

/** Help in the person's language: commander's titles, usage words and option notes come from data/messages. */
function helpIn(t: Translator): Partial<Help> {
  const base = new Help();
  const words = (s: string) =>
    s.replace('[options]', t.t('help.usage.options')).replace('[command]', t.t('help.usage.command'));
  return {
    displayWidth: width,
    // Japanese has no spaces to wrap at: the terminal wraps long lines itself.
    ...(t.lang === 'ja' ? { boxWrap: (str: string) => str } : {}),
    subcommandTerm: (cmd: Command) => words(base.subcommandTerm(cmd)),
    styleTitle: (str: string) =>
      ({
        'Usage:': t.t('help.title.usage'),
        'Options:': t.t('help.title.options'),
        'Commands:': t.t('help.title.commands'),
        'Arguments:': t.t('help.title.arguments'),
        'Global Options:': t.t('help.title.options'),
      })[str] ?? str,
    commandUsage: (cmd: Command) => words(base.commandUsage(cmd)),
    optionDescription: (option: Option) => {
      const extra: string[] = [];
      if (option.argChoices) extra.push(t.t('help.choices', { choices: option.argChoices.join(', ') }));
      if (
        option.defaultValue !== undefined &&
        typeof option.defaultValue === 'string' &&
        option.defaultValue !== ''
      )
        extra.push(t.t('help.default', { value: option.defaultValue }));
      return [option.description, ...extra].filter(Boolean).join(' ');
    },
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function clock(): Clock {
  try {
    return systemClock();
  } catch (e) {
    if (e instanceof ClockSettingError)
      throw new UsageError(e.variable === 'MAMORI_NOW' ? 'usage.now' : 'usage.today', { value: e.message });
    throw e;
  }
}

/** Commands that only read open the store read-only: never a schema write, never a wait for a writer. */
const readStore = (): Store => SqliteStore.openReadOnly();

/** The provider the person set with `mamori config provider` (a missing store reads as none). */
async function savedProvider(): Promise<ProviderId | null> {
  const store = readStore();
  try {
    return await storedProvider(store);
  } finally {
    store.close();
  }
}

/** The user's stored orders, if any (a missing store reads as empty and is not created). */
async function storedOrderHistory(): Promise<OrderHistory | null> {
  const store = readStore();
  try {
    const h = await store.orderHistory();
    return h.knows ? h : null;
  } finally {
    store.close();
  }
}

/** Asks on a terminal which situations fit, until an answer names only listed ones. */
async function askSituations(t: Translator, io: Io): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    io.out(`${t.t('plan.situations')}\n${situationList(t)}`);
    for (;;) {
      const { picked, bad } = pickSituations(await rl.question(t.t('plan.ask')));
      if (bad.length) io.err(bad.map((value) => t.t('plan.ask-bad', { value })).join(' '));
      else if (picked.length) return picked.join(',');
    }
  } finally {
    rl.close();
  }
}

/** The command-line program. Returns the exit status: 0 done, 1 an input could not be read, 2 usage error. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  let status = 0;
  let t0: Translator;
  try {
    t0 = translator(loadKnowledge(), preLang(argv));
  } catch (err) {
    // The knowledge is not built: its message says so in both languages.
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
  const h = (key: string) => t0.t(`help.${key}`);
  /** A value's placeholder in the help (`--orders <ファイル>`): display only, the option's name stays. */
  const v = (key: string) => t0.t(`help.value.${key}`);
  const langOption = () => new Option(`--lang <${v('lang')}>`, h('opt.lang'));
  const jsonOption = () => new Option('--json', h('opt.json'));
  // The translator of the command being run, so that even an error is said in the person's language.
  let t: Translator | null = null;
  const knowledgeAnd = (lang: string | undefined) => {
    const knowledge = loadKnowledge();
    t = translator(knowledge, langOf(lang));
    return { knowledge, t };
  };
  const writeStore = (tr: Translator): Store =>
    SqliteStore.open(undefined, {
      onBusy: () => stderrNotifier(tr.t, io.err).notify({ key: 'store.waiting' }),
    });
  const program = new Command('mamori')
    .description(h('program'))
    .exitOverride()
    // commander's own English errors are replaced by sentences from data/messages (see the catch below).
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: () => {},
    })
    .configureHelp(helpIn(t0))
    .helpOption('-h, --help', h('help'))
    .helpCommand(`help [${v('command')}]`, h('help-command'));

  program
    .command('check')
    .description(h('check'))
    .argument(`[${v('inputs')}...]`, h('check.inputs'))
    .addOption(jsonOption())
    .addOption(langOption())
    .option(`--orders <${v('file')}>`, h('check.orders'))
    .option(`--region <${v('region')}>`, h('check.region'))
    .addOption(new Option(`--provider <${v('name')}>`, h('check.provider')).choices(PROVIDER_IDS))
    .option(`--authserv-id <${v('id')}...>`, h('check.authserv-id'))
    .option('--verify-online', h('check.verify-online'))
    .option('--detail', h('opt.detail'))
    .action(
      async (
        inputs: string[],
        opts: {
          json?: boolean;
          lang?: string;
          orders?: string;
          region?: string;
          authservId?: string[];
          provider?: ProviderId;
          verifyOnline?: boolean;
          detail?: boolean;
        },
      ) => {
        const { knowledge, t } = knowledgeAnd(opts.lang);
        const region = parseRegion(opts.region);
        if (inputs.length === 0) throw new UsageError('cli.no-input');
        let orders: OrderHistory | null = opts.orders ? null : await storedOrderHistory();
        if (opts.orders) {
          try {
            orders = await orderHistoryFromFile(opts.orders, knowledge);
          } catch (err) {
            io.err(
              err instanceof OrdersFileError
                ? t.t('error.orders', { problem: problemText(t, err.problem) })
                : (fsErrorText(t, err, opts.orders) ??
                    t.t('error.orders', { problem: err instanceof Error ? err.message : String(err) })),
            );
            status = 1;
            return;
          }
        }
        let prepare: ((b: Uint8Array) => Promise<Uint8Array>) | undefined;
        const authservIds = [...(opts.authservId ?? [])];
        if (opts.verifyOnline) {
          const { verifyOnline, ONLINE_AUTHSERV_ID } = await import('#adapters/auth/verify-online.ts');
          const { systemResolver } = await import('#adapters/auth/dns.ts');
          const resolver = systemResolver();
          prepare = (b) => verifyOnline(b, resolver);
          authservIds.unshift(ONLINE_AUTHSERV_ID);
        }
        // Pasting into a terminal: say how to finish instead of waiting silently.
        if (inputs.includes('-') && process.stdin.isTTY) io.err(pastePrompt(t));
        // Attached PDFs and pictures, each read in a worker started only when a mail needs it.
        const { mailReaders } = await import('./mail-readers.ts');
        const readers = mailReaders(knowledge);
        try {
          status = await runCheck(
            inputs,
            knowledge,
            t,
            {
              json: opts.json === true,
              detail: opts.detail === true,
              check: {
                orders,
                authservIds,
                provider: opts.provider ?? (await savedProvider()),
                readPdf: readers.readPdf,
                readImage: readers.readImage,
              },
              region,
              prepare,
            },
            io,
          );
        } finally {
          await readers.close();
        }
      },
    );

  // `mamori config provider [name]`: shows, sets or (--clear) forgets the person's mail provider.
  program
    .command('config')
    .description(h('config'))
    .command('provider')
    .description(h('config.provider'))
    .argument(`[${v('name')}]`, h('config.provider.name'))
    .option('--clear', h('config.provider.clear'))
    .addOption(jsonOption())
    .addOption(langOption())
    .action(async (name: string | undefined, opts: { clear?: boolean; json?: boolean; lang?: string }) => {
      const { t } = knowledgeAnd(opts.lang);
      const choices = PROVIDER_IDS.join(', ');
      if (name !== undefined && opts.clear) throw new UsageError('usage.provider-both');
      if (name === undefined && !opts.clear) {
        const current = await savedProvider();
        if (opts.json) io.out(JSON.stringify({ provider: current }));
        else
          io.out(
            current
              ? t.t('config.provider.is', { provider: current })
              : t.t('config.provider.unset', { choices }),
          );
        return;
      }
      const id = opts.clear ? null : name!.trim().toLowerCase();
      const store = writeStore(t);
      try {
        const done = await rememberProvider(store, id);
        if (!done.ok) throw new UsageError('usage.provider', { value: done.unknown, choices });
      } finally {
        store.close();
      }
      if (opts.json) io.out(JSON.stringify({ provider: id }));
      else io.out(id ? t.t('config.provider.set', { provider: id }) : t.t('config.provider.cleared'));
    });

  program
    .command('watch')
    .description(h('watch'))
    .option(`--imap <${v('url')}>`, h('watch.imap'))
    .option(`--maildir <${v('folder')}>`, h('watch.maildir'))
    .option(`--mbox <${v('file')}>`, h('watch.mbox'))
    .option(`--mailbox <${v('folder')}>`, h('watch.mailbox'), 'INBOX')
    .option('--once', h('watch.once'))
    .option(`--password-file <${v('file')}>`, h('watch.password-file'))
    .option('--save-password', h('watch.save-password'))
    .option('--no-save-password', h('watch.no-save-password'))
    .option(`--move-phishing <${v('folder')}>`, h('watch.move-phishing'))
    .option(`--webhook <${v('url')}>`, h('watch.webhook'))
    .addOption(new Option('--alert-mail <on|off>', h('watch.alert-mail')).choices(['on', 'off']))
    .option('--alerts', h('watch.alerts'))
    .option(`--dismiss <${v('id')}>`, h('watch.dismiss'))
    .addOption(new Option(`--preset <${v('name')}>`, h('watch.preset')).choices(PRESET_IDS))
    .option(`--user <${v('name')}>`, h('watch.user'))
    .addOption(new Option(`--provider <${v('name')}>`, h('check.provider')).choices(PROVIDER_IDS))
    .option(`--authserv-id <${v('id')}...>`, h('check.authserv-id'))
    .addOption(jsonOption())
    .addOption(langOption())
    .action(async (opts: WatchOptions & { lang?: string }) => {
      const { knowledge, t } = knowledgeAnd(opts.lang);
      // Loaded only here: the IMAP client never weighs on the other commands' start-up.
      const { runWatch } = await import('./watch-command.ts');
      status = await runWatch(opts, { knowledge, t, io, clock: clock(), store: () => writeStore(t) });
    });

  program
    .command('import')
    .description(h('import'))
    .argument(`<${v('files')}...>`, h('import.files'))
    .option(`--map <${v('mapping')}>`, h('opt.map'))
    .option(`--currency <${v('currency')}>`, h('opt.currency'))
    .option('-y, --yes', h('opt.yes'))
    .addOption(langOption())
    .action(
      async (files: string[], opts: { map?: string; currency?: string; lang?: string; yes?: boolean }) => {
        const { knowledge, t } = knowledgeAnd(opts.lang);
        const mapping = parseMapping(opts.map, opts.currency);
        // What Amazon shows on screen (pasted text, a saved page): read, shown, stored on confirmation.
        const pasted = mapping ? [] : files.filter(isPasteInput);
        if (pasted.length) {
          const { runImportPasted } = await import('./paste-command.ts');
          for (const file of pasted)
            status = Math.max(
              status,
              await runImportPasted(
                file,
                { yes: opts.yes === true },
                { knowledge, t, io, clock: clock(), store: () => writeStore(t) },
              ),
            );
          files = files.filter((f) => !pasted.includes(f));
          if (!files.length) return;
        }
        // mamori's own transfer files (`mamori export`, the web app's download) go in beside ledger files.
        const { isTransferFile, runTransferImport } = await import('./transfer-command.ts');
        const transfers = files.filter(isTransferFile);
        const ledgers = files.filter((f) => !transfers.includes(f));
        const store = writeStore(t);
        try {
          for (const f of transfers) status = Math.max(status, await runTransferImport(f, store, t, io));
          if (ledgers.length)
            status = Math.max(status, await runImport(store, ledgers, knowledge, t, io, mapping));
          const c = await store.counts();
          io.out(t.t('import.store', { orders: c.orders, charges: c.charges, path: store.location }));
        } finally {
          store.close();
        }
      },
    );

  program
    .command('export')
    .description(h('export'))
    .argument(`<${v('file')}>`, h('export.file'))
    .option(`--case <${v('id')}>`, h('export.case'))
    .addOption(langOption())
    .action(async (file: string, o: { case?: string; lang?: string }) => {
      const { t } = knowledgeAnd(o.lang);
      const { runExport } = await import('./transfer-command.ts');
      const store = readStore();
      try {
        status = await runExport(file, o.case, store, clock(), t, io);
      } finally {
        store.close();
      }
    });

  program
    .command('serve')
    .description(h('serve'))
    .option(`--port <${v('port')}>`, h('serve.port'))
    .option('--no-open', h('serve.no-open'))
    .addOption(langOption())
    .action(async (o: { port?: string; open: boolean; lang?: string }) => {
      const { knowledge, t } = knowledgeAnd(o.lang);
      // Loaded only here: the HTTP server never weighs on the other commands' start-up.
      const { runServe } = await import('./serve-command.ts');
      status = await runServe(o, {
        knowledge,
        t,
        io,
        store: () =>
          SqliteStore.open(undefined, {
            onBusy: () => stderrNotifier(t.t, io.err).notify({ key: 'store.waiting' }),
            // A page waits for its answer: a long-held lock is said as an error rather than a frozen page.
            maxWaitMs: 30_000,
          }),
      });
    });

  program
    .command('reconcile')
    .description(h('reconcile'))
    .option(`--orders <${v('file')}>`, h('reconcile.orders'), collect, [])
    .option(`--statement <${v('file')}>`, h('reconcile.statement'), collect, [])
    .option(`--map <${v('mapping')}>`, h('opt.map'))
    .option(`--currency <${v('currency')}>`, h('opt.currency'))
    .addOption(jsonOption())
    .addOption(langOption())
    .action(
      async (opts: {
        orders: string[];
        statement: string[];
        map?: string;
        currency?: string;
        json?: boolean;
        lang?: string;
      }) => {
        const { knowledge, t } = knowledgeAnd(opts.lang);
        const mapping = parseMapping(opts.map, opts.currency);
        status = await runReconcile(
          { orders: opts.orders, statements: opts.statement, json: opts.json === true, mapping },
          knowledge,
          t,
          io,
          readStore,
        );
      },
    );

  program
    .command('plan')
    .description(h('plan'))
    .option(`--situation <${v('list')}>`, h('plan.situation'), '')
    .option(`--region <${v('region')}>`, h('opt.region'))
    .option(`--noticed <${v('date')}>`, h('plan.noticed'))
    .option(`--first-charge <${v('date')}>`, h('plan.first-charge'))
    .option(`--statement-date <${v('date')}>`, h('plan.statement-date'))
    .option(`--card <${v('card')}>`, h('opt.card'))
    .option(`--case <${v('id')}>`, h('plan.case'))
    .option(`--brand <${v('brand')}>`, h('plan.brand'))
    .addOption(jsonOption())
    .option('--detail', h('opt.detail'))
    .addOption(langOption())
    .addHelpText('after', () => `\n${t0.t('plan.situations')}\n${situationList(t0)}`)
    .action(
      async (o: {
        situation: string;
        region?: string;
        noticed?: string;
        firstCharge?: string;
        statementDate?: string;
        card?: string;
        case?: string;
        brand?: string;
        json?: boolean;
        detail?: boolean;
        lang?: string;
      }) => {
        const { knowledge, t } = knowledgeAnd(o.lang);
        let situation = o.situation;
        if (!o.case && !situation) {
          // No dead end: the situations with their labels; on a terminal, ask.
          if (!process.stdin.isTTY || !process.stdout.isTTY || o.json)
            throw new UsageError('plan.need-situation-list', { list: situationList(t) });
          situation = await askSituations(t, io);
        }
        status = await runPlan(
          {
            situation,
            region: o.region,
            noticed: o.noticed,
            firstCharge: o.firstCharge,
            statementDate: o.statementDate,
            card: o.card,
            caseId: o.case,
            ...(o.brand !== undefined ? { brand: o.brand } : {}),
            json: o.json === true,
            detail: o.detail === true,
          },
          knowledge,
          t,
          io,
          clock(),
          readStore,
        );
      },
    );

  /** Runs a case command; `write` commands open the store for writing (created if missing), others read-only. */
  const withCase = async (
    lang: string | undefined,
    mode: 'read' | 'write',
    fn: (store: Store, t: Translator) => number | Promise<number>,
  ) => {
    const { t } = knowledgeAnd(lang);
    const store = mode === 'write' ? writeStore(t) : readStore();
    try {
      status = await fn(store, t);
    } finally {
      store.close();
    }
  };
  const kase = program.command('case').description(h('case'));
  kase
    .command('new')
    .description(h('case.new'))
    .requiredOption(`--situation <${v('list')}>`, h('case.new.situation'))
    .option(`--region <${v('region')}>`, h('opt.region'))
    .option(`--noticed <${v('date')}>`, h('plan.noticed'))
    .option(`--card <${v('card')}>`, h('opt.card'))
    .option(`--name <${v('name')}>`, h('case.new.name'))
    .option(`--phone <${v('phone')}>`, h('case.new.phone'))
    .option(`--email <${v('email')}>`, h('case.new.email'))
    .option(`--address <${v('address')}>`, h('case.new.address'))
    .option(`--card-last4 <${v('digits')}>`, h('case.new.card-last4'))
    .option(`--card-issuer <${v('name')}>`, h('case.new.card-issuer'))
    .option(`--title <${v('title')}>`, h('case.new.title'))
    .addOption(jsonOption())
    .addOption(langOption())
    .action(
      (o: { situation: string; json?: boolean; lang?: string } & Record<string, string | undefined>) => {
        const { t } = knowledgeAnd(o.lang);
        const c = clock();
        const n = parseCaseNew(o, t, c.today());
        return withCase(o.lang, 'write', (store, t) => caseNew(n, store, c, t, io, o.json === true));
      },
    );
  kase
    .command('list')
    .description(h('case.list'))
    .addOption(jsonOption())
    .addOption(langOption())
    .action((o: { json?: boolean; lang?: string }) =>
      withCase(o.lang, 'read', (store, t) => caseList(store, t, io, o.json === true)),
    );
  kase
    .command('show')
    .description(h('case.show'))
    .argument(`<${v('id')}>`, h('case.id'))
    .addOption(jsonOption())
    .option('--detail', h('opt.detail'))
    .addOption(langOption())
    .action((id: string, o: { json?: boolean; detail?: boolean; lang?: string }) =>
      withCase(o.lang, 'read', (store, t) =>
        caseShow(id, store, loadKnowledge(), t, io, o.json === true, o.detail === true),
      ),
    );
  kase
    .command('step')
    .description(h('case.step'))
    .argument(`<${v('id')}>`, h('case.id'))
    .argument(`<${v('step')}>`, h('case.step.step'))
    .requiredOption(`--status <${v('status')}>`, h('case.step.status'))
    .option(`--note <${v('note')}>`, h('case.step.note'))
    .option(`--receipt <${v('receipt')}>`, h('opt.receipt'))
    .option(`--date <${v('date')}>`, h('case.step.date'))
    .addOption(langOption())
    .action(
      (
        id: string,
        step: string,
        o: { status: string; note?: string; receipt?: string; date?: string; lang?: string },
      ) => {
        knowledgeAnd(o.lang);
        const c = clock();
        const s = {
          id: step,
          status: parseStatus(o.status),
          ...(o.note ? { note: o.note } : {}),
          ...(o.receipt ? { receipt: o.receipt } : {}),
          ...(o.date ? { at: parseDate(o.date, '--date', c.today()) } : {}),
        };
        return withCase(o.lang, 'write', (store, t) => caseStep(id, s, store, loadKnowledge(), c, t, io));
      },
    );
  kase
    .command('event')
    .description(h('case.event'))
    .argument(`<${v('id')}>`, h('case.id'))
    .argument(`<${v('kind')}>`, h('case.event.kind'))
    .option(`--date <${v('date')}>`, h('case.event.date'))
    .option(`--note <${v('note')}>`, h('case.event.note'))
    .option(`--receipt <${v('receipt')}>`, h('opt.receipt'))
    .addOption(langOption())
    .action(
      (id: string, kind: string, o: { date?: string; note?: string; receipt?: string; lang?: string }) => {
        knowledgeAnd(o.lang);
        const c = clock();
        const e = {
          kind: parseEventKind(kind),
          // Impossible and future days are refused here; a day before the case began, by the use case.
          ...(o.date ? { at: parseDate(o.date, '--date', c.today()) } : {}),
          ...(o.note ? { note: o.note } : {}),
          ...(o.receipt ? { receipt: o.receipt } : {}),
        };
        return withCase(o.lang, 'write', (store, t) => caseEvent(id, e, store, c, t, io));
      },
    );
  kase
    .command('add-mail')
    .description(h('case.add-mail'))
    .argument(`<${v('id')}>`, h('case.id'))
    .argument(`<${v('inputs')}...>`, h('check.inputs'))
    .addOption(langOption())
    .action((id: string, files: string[], o: { lang?: string }) =>
      withCase(o.lang, 'write', (store, t) => {
        if (files.includes('-') && process.stdin.isTTY) io.err(pastePrompt(t));
        return caseAddMail(id, files, store, loadKnowledge(), t, io);
      }),
    );
  kase
    .command('add-charges')
    .description(h('case.add-charges'))
    .argument(`<${v('id')}>`, h('case.id'))
    .addOption(langOption())
    .action((id: string, o: { lang?: string }) =>
      withCase(o.lang, 'write', (store, t) => caseAddCharges(id, store, loadKnowledge(), t, io)),
    );
  kase
    .command('checkup')
    .description(h('case.checkup'))
    .argument(`<${v('id')}>`, h('case.id'))
    .option('--password-stdin', h('case.checkup.password-stdin'))
    .option(`--birthday <${v('date')}>`, h('case.checkup.birthday'))
    .option('--two-step <on|off>', h('case.checkup.two-step'))
    .option('--one-click <on|off>', h('case.checkup.one-click'))
    .option(`--stored-cards <${v('count')}>`, h('case.checkup.stored-cards'))
    .option('--bookmarks <yes|no>', h('case.checkup.bookmarks'))
    .option('--email-secure <yes|no>', h('case.checkup.email-secure'))
    .addOption(langOption())
    .action(
      (id: string, o: Record<string, string | undefined> & { passwordStdin?: boolean; lang?: string }) => {
        knowledgeAnd(o.lang);
        const answers = parseCheckup(o);
        const c = clock();
        // On a terminal the password is asked for without echo (prompt.ts); piped input needs no prompt.
        return withCase(o.lang, 'write', (store, t) =>
          caseCheckup(id, answers, store, { clock: c, scorer: () => zxcvbnScorer(t.lang) }, t, io),
        );
      },
    );
  kase
    .command('ics')
    .description(h('case.ics'))
    .argument(`<${v('id')}>`, h('case.id'))
    .option(`--out <${v('file')}>`, h('case.ics.out'))
    .addOption(langOption())
    .action((id: string, o: { out?: string; lang?: string }) =>
      withCase(o.lang, 'read', (store, t) => caseIcs(id, o.out, store, loadKnowledge(), clock(), t, io)),
    );

  program
    .command('report')
    .description(h('report'))
    .requiredOption(`--case <${v('id')}>`, h('report.case'))
    .option(`--format <${v('format')}>`, h('report.format'), 'pdf')
    .option(`--for <${v('audience')}>`, h('report.for'))
    .option(`--out <${v('file')}>`, h('report.out'))
    .addOption(langOption())
    .action((o: { case: string; format: string; for?: string; out?: string; lang?: string }) => {
      knowledgeAnd(o.lang);
      const r = parseReport({ format: o.format, audience: o.for });
      const c = clock();
      return withCase(o.lang, 'read', (store, t) =>
        runReport({ caseId: o.case, out: o.out, ...r }, store, loadKnowledge(), c, t, io),
      );
    });

  program
    .command('demo')
    .description(h('demo'))
    .addOption(langOption())
    .action(async (opts: { lang?: string }) => {
      const { knowledge, t } = knowledgeAnd(opts.lang);
      const samples = join(packageRoot(), 'samples');
      io.out(t.t('demo.title') + '\n');
      status = await runCheck(
        [join(samples, 'mail')],
        knowledge,
        t,
        { json: false, detail: false, check: {} },
        io,
      );
      io.out('\n' + t.t('demo.reconcile') + '\n');
      const ledger = join(samples, 'ledger');
      let flagged: { date: string; description: string; amount: number; currency: string }[] = [];
      let shown: string[] = [];
      const rec = await runReconcile(
        { orders: [join(ledger, 'amazon-export.zip')], statements: [join(ledger, 'vpass.csv')], json: false },
        knowledge,
        t,
        io,
        () => new MemoryStore(),
        (r) => {
          // The plan is for what the sample's own data shows; its flagged charges date the cut-offs.
          shown = r.suggestedSituations;
          flagged = chargesToDispute(r).map(({ date, description, amount, currency }) => ({
            date,
            description,
            amount,
            currency,
          }));
        },
      );
      status = Math.max(status, rec);
      if (shown.length) {
        const situations = shown.map((s) => t.t(`situation.${s}`)).join('・');
        io.out('\n' + t.t('demo.plan', { situations }) + '\n');
        await runPlan(
          { situation: shown.join(','), region: 'jp', json: false, charges: flagged },
          knowledge,
          t,
          io,
          clock(),
          () => new MemoryStore(),
        );
      }
      // Tonight, without the export: the same statement against the transactions page pasted as text.
      io.out('\n' + t.t('demo.paste') + '\n');
      const { runPasteDemo } = await import('./paste-command.ts');
      status = Math.max(
        status,
        await runPasteDemo(join(ledger, 'pasted-transactions.txt'), join(ledger, 'vpass.csv'), {
          knowledge,
          t,
          io,
          clock: clock(),
        }),
      );
      io.out('\n' + t.t('demo.hint'));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const words =
      t ??
      translator(
        loadKnowledge(),
        isLang(process.env.MAMORI_LANG ?? '') ? (process.env.MAMORI_LANG as Lang) : 'ja',
      );
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      // commander's own errors (unknown option, missing argument …), in the language asked for.
      io.err(commanderErrorText(t0, err, argv));
      return 2;
    }
    if (err instanceof UsageError) {
      if (err.key === 'usage.lang')
        for (const lang of ['ja', 'en'] as const)
          io.err(translator(loadKnowledge(), lang).t(err.key, err.params));
      else io.err(words.t(err.key, err.params));
      return 2;
    }
    if (err instanceof StoreBusyError) {
      io.err(words.t('store.busy'));
      return 1;
    }
    // A file that cannot be read or written (no permission, a full disk …): one sentence, what to do.
    const fs = fsErrorText(words, err, undefined, mamoriHome());
    if (fs) {
      io.err(fs);
      return 1;
    }
    // A bug: the person gets a sentence, not a stack trace (MAMORI_DEBUG=1 shows it).
    if (process.env.MAMORI_DEBUG) throw err;
    io.err(words.t('error.internal', { detail: err instanceof Error ? err.message : String(err) }));
    return 1;
  }
  return status;
}
