import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ClockSettingError, systemClock } from '#adapters/clock.ts';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import { stderrNotifier } from '#adapters/notify/stderr-notifier.ts';
import { orderHistoryFromFile } from '#adapters/orders/order-ids-file.ts';
import { zxcvbnScorer } from '#adapters/password/zxcvbn-scorer.ts';
import { SqliteStore, StoreBusyError } from '#adapters/store/store.ts';
import { chargesToDispute } from '#core/app/dispute-charges.ts';
import type { OrderHistory } from '#core/check/index.ts';
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
import { runImport, runReconcile } from './ledger-commands.ts';

// `mamori check … | head -1`: once the reader has gone, end quietly (as cat does) instead of an uncaught EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

const stdio: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
};

/** The language asked for; a bad value is said in both languages, since which one the person reads is unknown. */
function langOf(value: string | undefined): Lang {
  const lang = value ?? process.env.MAMORI_LANG ?? 'ja';
  if (!isLang(lang)) throw new UsageError('usage.lang', { value: lang });
  return lang;
}

const langOption = () => new Option('--lang <lang>', 'language of the output: ja (default) or en');

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
    .description(
      'mamori (守り): check mails that claim to be Amazon, explain charges, plan the response — all on this machine',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();

  program
    .command('check')
    .description(
      'tell a genuine Amazon mail from phishing, with its evidence (.eml, mbox, .msg, a folder, or - for stdin)',
    )
    .argument('[inputs...]', 'mail files, mbox files, Outlook .msg, folders, or - for standard input')
    .option('--json', 'JSON Lines: one object per message')
    .addOption(langOption())
    .option('--orders <file>', 'your Amazon order export (order numbers not in it are evidence of phishing)')
    .option('--region <region>', 'where you live, for the reporting routes: jp (default) or us')
    .addOption(
      new Option(
        '--provider <name>',
        'your mail provider: its Authentication-Results are believed at the hop where mail enters it',
      ).choices(PROVIDER_IDS),
    )
    .option(
      '--authserv-id <id...>',
      "trust Authentication-Results with this id (your provider's, when its servers use another domain)",
    )
    .option(
      '--verify-online',
      'also verify DKIM/SPF/DMARC live over DNS (the only option that uses the network)',
    )
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
            io.err(t.t('error.orders', { source: opts.orders, detail: (err as Error).message }));
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
        status = await runCheck(
          inputs,
          knowledge,
          t,
          {
            json: opts.json === true,
            check: { orders, authservIds, provider: opts.provider ?? null },
            region,
            prepare,
          },
          io,
        );
      },
    );

  program
    .command('import')
    .description('import Amazon order exports (zip, folder or CSV) and card statements into your local store')
    .argument('<files...>', 'Amazon export zips/folders/CSVs, card statement CSV/OFX files')
    .option(
      '--map <mapping>',
      'column mapping for a statement in an unknown layout: date=…,description=…,amount=…',
    )
    .option('--currency <code>', 'currency of a mapped statement: JPY (default) or USD')
    .addOption(langOption())
    .action(async (files: string[], opts: { map?: string; currency?: string; lang?: string }) => {
      const { knowledge, t } = knowledgeAnd(opts.lang);
      const mapping = parseMapping(opts.map, opts.currency);
      const store = writeStore(t);
      try {
        status = await runImport(store, files, knowledge, t, io, mapping);
        const c = await store.counts();
        io.out(t.t('import.store', { orders: c.orders, charges: c.charges, path: store.location }));
      } finally {
        store.close();
      }
    });

  program
    .command('reconcile')
    .description(
      'explain every card charge against your Amazon orders (files given: only those; none: the store)',
    )
    .option('--orders <file>', 'Amazon order export (repeatable)', collect, [])
    .option('--statement <file>', 'card statement (repeatable)', collect, [])
    .option('--map <mapping>', 'column mapping for statements in an unknown layout')
    .option('--currency <code>', 'currency of a mapped statement: JPY (default) or USD')
    .option('--json', 'machine-readable output')
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
    .description(
      'what to do now, in order: who, how, what to bring, by when (no situation: the list, or asks)',
    )
    .option('--situation <list>', 'what happened, comma-separated (e.g. entered-card,unknown-charge)', '')
    .option('--region <region>', 'jp (default) or us')
    .option('--noticed <date>', 'when you noticed, e.g. 2026-11-20, 2026/11/20 or 11/20 (default: today)')
    .option('--first-charge <date>', 'the oldest suspicious charge (JP card compensation counts from it)')
    .option('--statement-date <date>', 'the statement that first showed it (US Fair Credit Billing Act)')
    .option('--card <type>', 'credit, debit or prepaid')
    .option('--case <id>', 'use a stored case (its situations, dates and facts)')
    .option('--json', 'machine-readable output')
    .addOption(langOption())
    .addHelpText('after', () => {
      const i = argv.indexOf('--lang');
      const lang = i >= 0 && isLang(argv[i + 1] ?? '') ? (argv[i + 1] as Lang) : langOf(undefined);
      const tr = translator(loadKnowledge(), lang);
      return `\n${tr.t('plan.situations')}\n${situationList(tr)}`;
    })
    .action(
      async (o: {
        situation: string;
        region?: string;
        noticed?: string;
        firstCharge?: string;
        statementDate?: string;
        card?: string;
        case?: string;
        json?: boolean;
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
            json: o.json === true,
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
  const kase = program
    .command('case')
    .description(
      'track what you did until the money is back: new, list, show, step, event, add-mail, add-charges, checkup, ics',
    );
  kase
    .command('new')
    .description('open a case')
    .requiredOption('--situation <list>', 'what happened, comma-separated')
    .option('--region <region>', 'jp (default) or us')
    .option('--noticed <date>', 'when you noticed, YYYY-MM-DD')
    .option('--card <type>', 'credit, debit or prepaid')
    .option('--name <name>', 'your name (for the report and the phone script)')
    .option('--phone <phone>', 'the phone number registered with Amazon')
    .option('--email <email>', 'the e-mail registered with Amazon')
    .option('--address <address>', 'your address (for the card report; optional)')
    .option('--card-last4 <digits>', "the card's last four digits (for the card report)")
    .option('--card-issuer <name>', 'the card company (when the statement does not say)')
    .option('--title <title>', 'a title for the case')
    .option('--json', 'machine-readable output')
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
    .option('--json', 'machine-readable output')
    .addOption(langOption())
    .action((o: { json?: boolean; lang?: string }) =>
      withCase(o.lang, 'read', (store, t) => caseList(store, t, io, o.json === true)),
    );
  kase
    .command('show')
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .addOption(langOption())
    .action((id: string, o: { json?: boolean; lang?: string }) =>
      withCase(o.lang, 'read', (store, t) => caseShow(id, store, loadKnowledge(), t, io, o.json === true)),
    );
  kase
    .command('step')
    .description("record a step's status")
    .argument('<id>')
    .argument('<step>')
    .requiredOption('--status <status>', 'todo, doing, done or skipped')
    .option('--note <note>', 'what happened')
    .option('--receipt <number>', 'the receipt or reference number you were given (受付番号)')
    .option('--date <date>', 'when you did it (default: now)')
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
    .description(
      'add to the timeline: noticed, contacted-amazon, contacted-card, account-locked, card-stopped, password-changed, police-report, consumer-centre, refund-received, other',
    )
    .argument('<id>')
    .argument('<kind>')
    .option('--date <date>', 'YYYY-MM-DD (default: today; never in the future)')
    .option('--note <note>', 'details')
    .option('--receipt <number>', 'the receipt or reference number you were given (受付番号)')
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
    .description('check mails and keep their evidence in the case')
    .argument('<id>')
    .argument('<files...>')
    .addOption(langOption())
    .action((id: string, files: string[], o: { lang?: string }) =>
      withCase(o.lang, 'write', (store, t) => caseAddMail(id, files, store, loadKnowledge(), t, io)),
    );
  kase
    .command('add-charges')
    .description('add the charges reconcile flags (from the store) as disputed charges')
    .argument('<id>')
    .addOption(langOption())
    .action((id: string, o: { lang?: string }) =>
      withCase(o.lang, 'write', (store, t) => caseAddCharges(id, store, loadKnowledge(), t, io)),
    );
  kase
    .command('checkup')
    .description(
      'prevention checkup: password strength (read from stdin, never stored), 2SV, 1-Click, stored cards, bookmarks',
    )
    .argument('<id>')
    .option('--password-stdin', 'read the password to test from standard input')
    .option('--birthday <date>', 'your birthday, to catch passwords made from it (not stored)')
    .option('--two-step <on|off>', 'is two-step verification on?')
    .option('--one-click <on|off>', 'is 1-Click on?')
    .option('--stored-cards <n>', 'how many cards are stored in Amazon')
    .option('--bookmarks <yes|no>', 'do you open Amazon from a bookmark or the app?')
    .option('--email-secure <yes|no>', 'is your e-mail protected by its own strong password and 2SV?')
    .addOption(langOption())
    .action(
      (id: string, o: Record<string, string | undefined> & { passwordStdin?: boolean; lang?: string }) => {
        knowledgeAnd(o.lang);
        const answers = parseCheckup(o);
        const c = clock();
        return withCase(o.lang, 'write', (store, t) =>
          caseCheckup(id, answers, store, { clock: c, scorer: zxcvbnScorer }, t, io),
        );
      },
    );
  kase
    .command('ics')
    .description('write a calendar file with the deadlines and a monthly statement review')
    .argument('<id>')
    .option('--out <file>', 'where to write it (default: <id>.ics)')
    .addOption(langOption())
    .action((id: string, o: { out?: string; lang?: string }) =>
      withCase(o.lang, 'read', (store, t) => caseIcs(id, o.out, store, loadKnowledge(), clock(), t, io)),
    );

  program
    .command('report')
    .description(
      'the report you hand over, one per reader: card (dispute declaration), police, amazon, consumer-centre',
    )
    .requiredOption('--case <id>', 'the case')
    .option('--format <format>', 'pdf, html, md or csv (disputed charges)', 'pdf')
    .option('--for <audience>', 'amazon, card (default), police or consumer-centre')
    .option('--out <file>', 'where to write it')
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
    .description(
      'the built-in sample case (what `npm start` runs): check sample mails, explain a sample statement, plan',
    )
    .addOption(langOption())
    .action(async (opts: { lang?: string }) => {
      const { knowledge, t } = knowledgeAnd(opts.lang);
      const samples = join(packageRoot(), 'samples');
      io.out(t.t('demo.title') + '\n');
      status = await runCheck([join(samples, 'mail')], knowledge, t, { json: false, check: {} }, io);
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
      io.out('\n' + t.t('demo.hint'));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    const words =
      t ??
      translator(
        loadKnowledge(),
        isLang(process.env.MAMORI_LANG ?? '') ? (process.env.MAMORI_LANG as Lang) : 'ja',
      );
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
    // A bug: the person gets a sentence, not a stack trace (MAMORI_DEBUG=1 shows it).
    if (process.env.MAMORI_DEBUG) throw err;
    io.err(words.t('error.internal', { detail: err instanceof Error ? err.message : String(err) }));
    return 1;
  }
  return status;
}
