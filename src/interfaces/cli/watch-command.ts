import { loadNotices } from '#adapters/knowledge/notices-load.ts';
import {
  ImapAuthError,
  ImapConnectError,
  ImapUrlError,
  ImapWatchSource,
  NoPasswordError,
  PasswordFileError,
  IMAP_PRESETS,
  imapPassword,
  parseImapUrl,
  presetTarget,
  type CredentialDeps,
  type ImapTarget,
  type PasswordFrom,
} from '#adapters/imap/index.ts';
import { MaildirWatchSource, MboxWatchSource } from '#adapters/mailbox/index.ts';
import { allNotifiers, desktopNotifier } from '#adapters/notify/desktop-notifier.ts';
import {
  ALERT_MAIL_SETTING,
  alertMailNotifier,
  newAlertMailKey,
  type AlertMailNotifier,
} from '#adapters/notify/mail-notifier.ts';
import { stderrNotifier } from '#adapters/notify/stderr-notifier.ts';
import {
  WEBHOOK_SETTING,
  WebhookUrlError,
  parseWebhookUrl,
  webhookNotifier,
  type WebhookNotifier,
} from '#adapters/notify/webhook-notifier.ts';
import { planForSituations } from '#core/app/plan-for.ts';
import { ALERT_MAIL_KEY_SETTING, learningHistory, watchMailbox, type WatchOutcome } from '#core/app/watch.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { storedProvider } from '#core/mail/provider-setting.ts';
import { planBrand } from '#core/plan/plan.ts';
import { mailReaders } from './mail-readers.ts';
import type { ProviderId } from '#core/mail/providers.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import type { WatchAlert, WatchSource } from '#core/ports/watch.ts';
import type { Translator } from '#interfaces/i18n.ts';
import { UsageError } from './args.ts';
import type { Io } from './check-command.ts';
import { processTerminal, saidYes, type Terminal } from './prompt.ts';

export interface WatchOptions {
  imap?: string;
  maildir?: string;
  mbox?: string;
  mailbox: string;
  once?: boolean;
  json?: boolean;
  passwordFile?: string;
  movePhishing?: string;
  alerts?: boolean;
  dismiss?: string;
  preset?: string;
  user?: string;
  provider?: ProviderId;
  authservId?: string[];
  /** Sets (or with `off` removes) the webhook URL alerts are POSTed to. */
  webhook?: string;
  /** `on`: each alert is also written as a mail into the watched IMAP mailbox; `off`: not. */
  alertMail?: string;
  /**
   * `--save-password`: the password that logged in is kept in the OS keyring without asking (also one from
   * `--password-file` or MAMORI_IMAP_PASSWORD, for use without a terminal); `--no-save-password`: never kept, never
   * asked. Neither: a typed password is kept only if the person answers yes at the terminal (default no).
   */
  savePassword?: boolean;
}

/** `[#####-----] 12,345 / 50,000` (the progress of a catch-up, on a terminal's stderr). */
export function progressLine(done: number, total: number, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'-'.repeat(width - n)}] ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;
}

/** A catch-up this long gets a progress bar (on a terminal only: a log file gets no carriage returns). */
const PROGRESS_FROM = 20;

class Progress {
  private total = 0;
  private done = 0;
  private shownAt = 0;
  private drawn = false;

  constructor(
    private readonly write: ((s: string) => void) | null,
    private readonly label: string,
  ) {}

  /** A bar is being drawn for this catch-up. */
  get active(): boolean {
    return this.write !== null && this.total >= PROGRESS_FROM;
  }

  backlog(count: number): void {
    this.total = this.done + count;
  }

  step(): void {
    this.done++;
    if (!this.write || this.total < PROGRESS_FROM) return;
    const now = Date.now();
    if (now - this.shownAt < 200 && this.done < this.total) return;
    this.shownAt = now;
    this.drawn = true;
    this.write(`\r${progressLine(this.done, this.total)} ${this.label}`);
  }

  /** Leaves the line before anything else is written to stderr. */
  end(): void {
    if (this.drawn) this.write?.('\n');
    this.drawn = false;
  }
}

/** One alert in words: what happened, the evidence, the first step of the plan, how to dismiss it. */
/**
 * An alert's evidence in words, one per line: each finding's title (the brand filled in), a charge line as it
 * stands on the statement. The ids stay in `--json` and the store.
 */
export function evidenceLines(a: WatchAlert, knowledge: Knowledge, t: Translator): string[] {
  const brandId = typeof a.params.brand === 'string' ? a.params.brand : null;
  const m = knowledge.merchants.find((x) => x.id === brandId);
  const brand = m?.name ?? '';
  return a.evidence.map((e) => `    ・${t.finding(e, { brand }).title}`);
}

export function alertText(a: WatchAlert, knowledge: Knowledge, t: Translator, clock: Clock): string {
  const lines = [t.t(`watch.alert.${a.kind}`, a.params)];
  if (a.evidence.length) lines.push(`  ${t.t('watch.label.evidence')}:`, ...evidenceLines(a, knowledge, t));
  if (a.situations.length) {
    const m = knowledge.merchants.find((x) => x.id === a.params.brand);
    const brand = m ? planBrand(m, t.lang) : undefined;
    const plan = planForSituations(
      {
        situations: a.situations,
        region: 'jp',
        noticed: clock.today(),
        now: clock.now(),
        ...(brand ? { brand } : {}),
      },
      knowledge,
      t.lang,
    );
    const first = plan.plan.steps[0];
    if (first) lines.push(`  ${t.t('watch.label.first-step')}: ${first.title}`);
  }
  lines.push(`  ${t.t('watch.label.dismiss', { id: a.id })}`);
  return lines.join('\n');
}

/** An alert as the Notifier port carries it (`watch.alert.<kind>`, its facts, evidence and situations) in words. */
function noticeText(
  key: string,
  params: Record<string, unknown> | undefined,
  d: { knowledge: Knowledge; t: Translator; clock: Clock },
): string {
  const p = params ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const facts = Object.fromEntries(
    Object.entries(p).filter(
      (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
    ),
  );
  const alert: WatchAlert = {
    id: String(p.id ?? ''),
    kind: key.replace(/^watch\.alert\./u, '') as WatchAlert['kind'],
    at: d.clock.now(),
    eventId: '',
    params: facts,
    evidence: list(p.evidence),
    situations: list(p.situations) as WatchAlert['situations'],
    shown: false,
    dismissed: false,
  };
  return alertText(alert, d.knowledge, d.t, d.clock);
}

function fileSource(opts: WatchOptions, onBacklog: (n: number) => void): WatchSource {
  if (opts.maildir) return new MaildirWatchSource(opts.maildir, { once: opts.once === true, onBacklog });
  if (opts.mbox) return new MboxWatchSource(opts.mbox, { once: opts.once === true });
  throw new Error('unreachable');
}

/**
 * Whether a password that may be kept in the OS keyring is: `--save-password` yes, `--no-save-password` no;
 * otherwise only a typed one, and only if the person answers yes at the terminal (Enter alone is no). Without a
 * terminal nothing is asked and nothing kept.
 */
export async function keepPassword(
  choice: boolean | undefined,
  from: PasswordFrom,
  terminal: Terminal,
  t: Translator,
): Promise<boolean> {
  if (choice !== undefined) return choice;
  if (from !== 'prompt') return false;
  return saidYes(await terminal.line(t.t('watch.keyring-ask')));
}

/** `mamori watch`: the alerts commands, or one mailbox watched (until Ctrl-C, or caught up with `--once`). */
export async function runWatch(
  opts: WatchOptions,
  deps: {
    knowledge: Knowledge;
    t: Translator;
    io: Io;
    clock: Clock;
    store: () => Store;
    /** Where the password is typed and questions answered (by default this process's terminal, if any). */
    terminal?: Terminal;
    /** The keyring entry of an account (by default the OS keyring's). */
    keyring?: CredentialDeps['keyring'];
    env?: Record<string, string | undefined>;
  },
): Promise<number> {
  const { knowledge, t, io, clock } = deps;
  const terminal = deps.terminal ?? processTerminal;
  if (opts.alerts || opts.dismiss) {
    const store = deps.store();
    try {
      if (opts.dismiss) {
        const ok = await store.dismissAlert(opts.dismiss);
        io.out(t.t(ok ? 'watch.dismissed' : 'watch.dismiss-unknown', { id: opts.dismiss }));
        return ok ? 0 : 1;
      }
      const alerts = await store.alerts();
      if (opts.json) io.out(JSON.stringify(alerts));
      else if (!alerts.length) io.out(t.t('watch.no-alerts'));
      else for (const a of alerts) io.out(alertText(a, knowledge, t, clock));
      await store.markAlertsShown(alerts.map((a) => a.id));
      return 0;
    } finally {
      store.close();
    }
  }
  const given = [opts.imap, opts.maildir, opts.mbox, opts.preset].filter((x) => x !== undefined);
  if (opts.alertMail !== undefined) {
    if (opts.alertMail !== 'on' && opts.alertMail !== 'off') throw new UsageError('usage.alert-mail');
    const store = deps.store();
    try {
      await store.setSetting(ALERT_MAIL_SETTING, opts.alertMail);
      if (opts.alertMail === 'on' && !(await store.getSetting(ALERT_MAIL_KEY_SETTING)))
        await store.setSetting(ALERT_MAIL_KEY_SETTING, newAlertMailKey());
    } finally {
      if (!given.length && opts.webhook === undefined) store.close();
    }
    io.err(t.t(`watch.alert-mail-${opts.alertMail}`));
    if (!given.length && opts.webhook === undefined) return 0;
  }
  if (opts.webhook !== undefined) {
    let value = '';
    if (opts.webhook !== 'off')
      try {
        value = parseWebhookUrl(opts.webhook).href;
      } catch (e) {
        if (e instanceof WebhookUrlError) throw new UsageError(`usage.webhook-${e.reason}`);
        throw e;
      }
    const store = deps.store();
    try {
      await store.setSetting(WEBHOOK_SETTING, value);
    } finally {
      if (!given.length) store.close();
    }
    io.err(value ? t.t('watch.webhook-set', { host: new URL(value).host }) : t.t('watch.webhook-off'));
    if (!given.length) return 0;
  }
  if (given.length !== 1) throw new UsageError('usage.watch-source');
  const preset = opts.preset ? IMAP_PRESETS.find((p) => p.id === opts.preset) : undefined;
  if (preset && !opts.user) throw new UsageError('usage.watch-user');
  let provider = opts.provider ?? preset?.provider ?? null;

  let source: WatchSource;
  let imapSource: ImapWatchSource | null = null;
  let mailTo = '';
  let saved: (() => boolean) | undefined;
  const progress = new Progress(
    process.stderr.isTTY ? (s) => process.stderr.write(s) : null,
    t.t('watch.progress'),
  );
  const onBacklog = (n: number) => progress.backlog(n);
  if (opts.imap !== undefined || preset) {
    let target: ImapTarget;
    if (preset) {
      target = presetTarget(preset, opts.user!);
      // The reference marks every preset uncertain: say what is used, so a wrong one is easy to spot.
      io.err(
        t.t('watch.preset', {
          host: target.host,
          port: target.port,
          auth: t.t(`watch.preset-auth.${preset.auth}`),
        }),
      );
      if (preset.switchOn) io.err(t.t(`watch.preset-switch-on.${preset.id}`));
    } else
      try {
        target = parseImapUrl(opts.imap!);
      } catch (e) {
        if (e instanceof ImapUrlError) throw new UsageError('usage.imap-url', { value: e.value });
        throw e;
      }
    let password: string;
    try {
      const got = await imapPassword(`imap:${target.user}@${target.host}:${target.port}`, {
        ...(opts.passwordFile ? { passwordFile: opts.passwordFile } : {}),
        env: deps.env ?? process.env,
        prompt: () => terminal.hidden(t.t('watch.password-prompt', { user: target.user, host: target.host })),
        onNoKeyring: () => io.err(t.t('watch.keyring-unavailable')),
        ...(deps.keyring ? { keyring: deps.keyring } : {}),
        keepGiven: opts.savePassword === true,
      });
      password = got.password;
      // Kept in the keyring only if asked for (or answered yes right after typing it), once it has logged in.
      if (got.save && (await keepPassword(opts.savePassword, got.from, terminal, t))) saved = got.save;
    } catch (e) {
      if (e instanceof PasswordFileError) {
        io.err(t.t('watch.error.password-file', { file: e.file }));
        return 1;
      }
      if (e instanceof NoPasswordError) {
        io.err(t.t('watch.error.no-password'));
        return 1;
      }
      throw e;
    }
    mailTo = target.user.includes('@') ? target.user : `${target.user}@${target.host}`;
    source = imapSource = new ImapWatchSource({
      target,
      password,
      mailbox: opts.mailbox,
      once: opts.once === true,
      onBacklog,
      onRetry: (attempt, delay) => {
        progress.end();
        io.err(t.t('watch.retry', { attempt, seconds: Math.round(delay / 100) / 10 }));
      },
    });
  } else source = fileSource(opts, onBacklog);

  const store = deps.store();
  // The provider the person set with `mamori config provider`, when neither --provider nor a preset names one.
  provider ??= await storedProvider(store);
  // A webhook the person set (`--webhook URL`): an invalid stored value is said, not fatal.
  let webhook: WebhookNotifier | null = null;
  const hook = await store.getSetting(WEBHOOK_SETTING);
  if (hook)
    try {
      // The whole alert: what happened, the evidence, the first step of the plan.
      const text = (key: string, params?: Record<string, unknown>) =>
        noticeText(key, params, { knowledge, t, clock });
      webhook = webhookNotifier(parseWebhookUrl(hook), text, (host, reason) => {
        progress.end();
        io.err(t.t('watch.webhook-failed', { host, reason }));
      });
    } catch {
      io.err(t.t('watch.webhook-invalid'));
    }
  // An alert mail into the watched mailbox, if the person turned it on (IMAP only: a Maildir or an mbox belongs to
  // a mail program that is not expecting mamori to write into it).
  let mailer: AlertMailNotifier | null = null;
  if ((await store.getSetting(ALERT_MAIL_SETTING)) === 'on') {
    const key = await store.getSetting(ALERT_MAIL_KEY_SETTING);
    if (!imapSource) io.err(t.t('watch.alert-mail-imap-only'));
    else if (key) {
      const into = imapSource;
      mailer = alertMailNotifier({
        to: mailTo,
        key,
        text: (k, p) => noticeText(k, p, { knowledge, t, clock }),
        subject: (k, p) => t.t(k, p).split('\n')[0] ?? '',
        footer: t.t('watch.alert-mail-footer'),
        append: (bytes) => into.append(bytes),
      });
    }
  }
  // With --json, stdout is data only: stderr says each alert in words. Watching, a desktop notification too.
  const say = opts.json ? stderrNotifier(t.t, io.err) : null;
  const notifier = allNotifiers(
    say ? { notify: (a) => (progress.end(), say.notify(a)) } : null,
    opts.once ? null : desktopNotifier(t.t),
    webhook,
    mailer,
  );
  const stop = () => void source.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let count = 0;
  // Attached PDFs and pictures are read as `mamori check` reads them (workers started on the first that needs one).
  const readers = mailReaders(knowledge);
  try {
    if (!opts.json) {
      // Alerts raised while nobody was looking are shown first, once.
      const pending = (await store.alerts()).filter((a) => !a.shown);
      for (const a of pending) io.out(alertText(a, knowledge, t, clock));
      await store.markAlertsShown(pending.map((a) => a.id));
      if (!opts.once) io.err(t.t('watch.watching', { source: source.key }));
    }
    const learning = await learningHistory(store, source.key);
    if (learning) io.err(t.t('watch.learning'));
    let learned = 0;
    const outcomes = watchMailbox(source, {
      store,
      knowledge: { check: knowledge, ledger: knowledge, notices: loadNotices() },
      clock,
      checkOptions: {
        provider,
        authservIds: opts.authservId ?? [],
        readPdf: readers.readPdf,
        readImage: readers.readImage,
      },
      notifier,
      ...(opts.movePhishing ? { moveTo: opts.movePhishing } : {}),
    });
    for await (const o of outcomes) {
      count++;
      if (o.learned) learned++;
      progress.step();
      if (count === 1 && saved && saved()) {
        progress.end();
        io.err(t.t('watch.keyring-saved'));
      }
      // Under a progress bar, only the mails with an alert get a line of their own.
      if (!opts.json && progress.active && !o.alert) continue;
      if (!opts.json || o.alert) progress.end();
      print(o, opts, { knowledge, t, io, clock });
      if (o.alert && !opts.json) await store.markAlertsShown([o.alert.id]);
    }
    progress.end();
    if (learning) io.err(t.t('watch.learned', { count: learned }));
    if (!opts.json && opts.once) io.err(t.t('watch.caught-up', { count }));
    return 0;
  } catch (e) {
    if (e instanceof ImapAuthError) {
      io.err(t.t('watch.error.auth', { source: e.target }));
      return 1;
    }
    if (e instanceof ImapConnectError) {
      io.err(t.t('watch.error.connect', { source: e.target, code: e.code }));
      return 1;
    }
    throw e;
  } finally {
    progress.end();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    // Alert mails are handed to the source before it closes (it writes what is left on closing).
    await mailer?.flush();
    await source.close();
    // The last alerts' POSTs finish before the process ends (each gives up after 10 s).
    await webhook?.flush();
    await readers.close();
    store.close();
  }
}

function print(
  o: WatchOutcome,
  opts: WatchOptions,
  d: { knowledge: Knowledge; t: Translator; io: Io; clock: Clock },
): void {
  if (opts.json) {
    d.io.out(
      JSON.stringify({ uid: o.uid, verdict: o.verdict, brand: o.brand, event: o.event, alert: o.alert }),
    );
    return;
  }
  d.io.out(
    d.t.t(o.learned ? 'watch.mail-learned' : 'watch.mail', {
      uid: o.uid,
      verdict: d.t.t(`verdict.${o.verdict ?? 'unrelated'}`),
    }),
  );
  if (o.alert) d.io.out(alertText(o.alert, d.knowledge, d.t, d.clock));
}
